namespace Grape.Core.Points;

/// <summary>Which payload to return (Qdrant's <c>with_payload</c>): none, all, only some keys, or all but some keys.</summary>
public sealed record PayloadSelector
{
    private PayloadSelector(bool enabled, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude)
    { Enabled = enabled; Include = include; Exclude = exclude; }

    public static PayloadSelector None { get; } = new(false, null, null);
    public static PayloadSelector All { get; } = new(true, null, null);
    /// <summary>Only these key paths (e.g. <c>"city"</c>, <c>"address.zip"</c>).</summary>
    public static PayloadSelector IncludeKeys(IReadOnlyList<string> keys) => new(true, keys, null);
    /// <summary>Everything except these key paths.</summary>
    public static PayloadSelector ExcludeKeys(IReadOnlyList<string> keys) => new(true, null, keys);

    public bool Enabled { get; }
    public IReadOnlyList<string>? Include { get; }
    public IReadOnlyList<string>? Exclude { get; }
}

/// <summary>Which vectors to return (Qdrant's <c>with_vector</c>): none, all, or the named ones.</summary>
public sealed record VectorSelector
{
    private VectorSelector(bool enabled, IReadOnlyList<string>? names) { Enabled = enabled; Names = names; }

    public static VectorSelector None { get; } = new(false, null);
    public static VectorSelector All { get; } = new(true, null);
    public static VectorSelector Only(IReadOnlyList<string> names) => new(true, names);

    public bool Enabled { get; }
    public IReadOnlyList<string>? Names { get; }
}
