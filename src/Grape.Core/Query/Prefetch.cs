using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Query;

/// <summary>
/// A sub-query whose results feed the query above it (Qdrant's <c>Prefetch</c>). Nested to any depth (Qdrant stops
/// at 64). The outer query's filter applies to every prefetch as well.
/// </summary>
public sealed record Prefetch
{
    public IReadOnlyList<Prefetch> Prefetches { get; init; } = [];
    /// <summary>Null with nested prefetches is an error; null without them lists points in id order.</summary>
    public ScoringQuery? Query { get; init; }
    public string Using { get; init; } = PointStruct.DefaultVector;
    public Filter? Filter { get; init; }
    public SearchParams? Params { get; init; }
    public float? ScoreThreshold { get; init; }
    public int Limit { get; init; } = 10;
    public LookupLocation? LookupFrom { get; init; }
}
