namespace Grape.Core.Filtering.Conditions;

internal enum JsonPathSegmentKind : byte { Key, Index, Wildcard }

/// <summary>One step of a <see cref="JsonPath"/> after its first key: <c>.key</c>, <c>[3]</c> or <c>[]</c>.</summary>
internal readonly struct JsonPathSegment : IEquatable<JsonPathSegment>
{
    private JsonPathSegment(JsonPathSegmentKind kind, string? key, byte[]? keyUtf8, int index)
    { Kind = kind; Key = key; KeyUtf8 = keyUtf8; Index = index; }

    public JsonPathSegmentKind Kind { get; }
    public string? Key { get; }
    /// <summary>The key as UTF-8, so payload property names are compared without decoding them.</summary>
    public byte[]? KeyUtf8 { get; }
    public int Index { get; }

    public static JsonPathSegment OfKey(string key) => new(JsonPathSegmentKind.Key, key, System.Text.Encoding.UTF8.GetBytes(key), 0);
    /// <summary>A key step used only to compare paths (no UTF-8 copy).</summary>
    public static JsonPathSegment OfKeyForComparison(string key) => new(JsonPathSegmentKind.Key, key, null, 0);
    public static JsonPathSegment OfIndex(int index) => new(JsonPathSegmentKind.Index, null, null, index);
    public static JsonPathSegment Wildcard { get; } = new(JsonPathSegmentKind.Wildcard, null, null, 0);

    public bool Equals(JsonPathSegment other) =>
        Kind == other.Kind && Index == other.Index && string.Equals(Key, other.Key, StringComparison.Ordinal);
    public override bool Equals(object? obj) => obj is JsonPathSegment s && Equals(s);
    public override int GetHashCode() => HashCode.Combine(Kind, Key, Index);
}
