using Grape.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Grape.Server.Errors;

/// <summary>The one place where exceptions become HTTP statuses and Qdrant's error texts (STYLE §5). Sorted by status.</summary>
internal static class ErrorMapper
{
    public static int ToHttpStatus(Exception e) => e switch
    {
        RequestException r => r.StatusCode,
        BadHttpRequestException b => b.StatusCode,            // Kestrel: body over the limit (413), truncated body (400)
        BadRequestException => StatusCodes.Status400BadRequest,
        NotFoundException => StatusCodes.Status404NotFound,
        OperationCanceledException => StatusCodes.Status408RequestTimeout,
        AlreadyExistsException => StatusCodes.Status409Conflict, // Qdrant: StorageError::AlreadyExists → 409 CONFLICT
        GrapeClosedException or StorageLockedException or ServiceNotReadyException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,        // a bug or a storage failure: logged
    };

    /// <summary>The text of <c>status.error</c>, prefixed as Qdrant's <c>StorageError</c> displays it.</summary>
    public static string ToMessage(Exception e) => e switch
    {
        RequestException r => r.Message,
        BadHttpRequestException { StatusCode: 413 } => "Payload too large: the request body is larger than service.max_request_size_mb allows",
        BadHttpRequestException b => $"Bad request: {b.Message}",
        BadRequestException or AlreadyExistsException => Prefixed("Wrong input: ", e.Message),
        NotFoundException => Prefixed("Not found: ", e.Message),
        OperationCanceledException => "Timeout: the operation was cancelled before it completed",
        GrapeClosedException or StorageLockedException or ServiceNotReadyException => $"Service unavailable: {e.Message}",
        StorageCorruptedException => $"Service internal error: {e.Message}",
        _ => $"Service internal error: {e.GetType().Name}: {e.Message}",
    };

    // Some engine messages already carry Qdrant's prefix; never print it twice.
    private static string Prefixed(string prefix, string message) =>
        message.StartsWith(prefix, StringComparison.Ordinal) ? message : prefix + message;
}
