namespace Grape.Core.Distances;

/// <summary>A similarity function as a static member of a struct, so scan loops specialize per distance (no virtual call per candidate).</summary>
internal interface ISimilarity
{
    /// <summary>Higher is better; lengths must match (checked once per query by the caller).</summary>
    static abstract float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored);
}
