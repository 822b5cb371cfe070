using System.Text.Json.Nodes;
using Grape.Core.Points;

namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// CONTRACT (to implement): payload edits and projections with Qdrant's key-path semantics (<c>a.b</c>, <c>a[].b</c>, <c>a[0]</c>).
/// </summary>
internal static class PayloadOps
{
    /// <summary>Merges <paramref name="values"/> into <paramref name="target"/> (top level, or into the object at <paramref name="key"/>, created if missing).</summary>
    public static void Set(JsonObject target, JsonObject values, string? key) => throw new NotImplementedException();

    /// <summary>Removes each key path.</summary>
    public static void DeleteKeys(JsonObject target, IReadOnlyList<string> keys) => throw new NotImplementedException();

    /// <summary>Applies <c>with_payload</c>: all, only the include paths, or all but the exclude paths. Null when disabled.</summary>
    public static JsonObject? Project(JsonObject payload, PayloadSelector selector) => throw new NotImplementedException();

    /// <summary>Throws <see cref="Errors.BadRequestException"/> if <paramref name="key"/> is not a valid key path.</summary>
    public static void ValidateKey(string key) => throw new NotImplementedException();
}
