using System.Diagnostics.CodeAnalysis;

namespace Grape.Core.Errors;

/// <summary>Throw sites kept out of hot methods so the callers stay small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn] public static void BadRequest(string message) => throw new BadRequestException(message);
    [DoesNotReturn] public static T BadRequest<T>(string message) => throw new BadRequestException(message);
    [DoesNotReturn] public static void CollectionNotFound(string name) => throw new CollectionNotFoundException(name);
    [DoesNotReturn] public static void Closed() => throw new GrapeClosedException();
    [DoesNotReturn] public static void Corrupted(string message, Exception? inner = null) => throw new StorageCorruptedException(message, inner);
}
