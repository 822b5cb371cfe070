using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Query;

/// <summary>
/// Qdrant's universal query. Prefetches run first; <see cref="Query"/> then re-scores the union of their points
/// (vector forms, formula, order_by, sample) or fuses their lists (fusion, rrf). Without prefetches the query runs
/// over the whole collection; with neither, points come in id order.
/// </summary>
public sealed record QueryRequest
{
    public IReadOnlyList<Prefetch> Prefetches { get; init; } = [];
    public ScoringQuery? Query { get; init; }
    /// <summary>The vector name the query scores with; "" is the unnamed vector.</summary>
    public string Using { get; init; } = PointStruct.DefaultVector;
    public Filter? Filter { get; init; }
    public SearchParams? Params { get; init; }
    /// <summary>For distance-scored queries on Euclid/Manhattan a maximum distance; otherwise a minimum score.</summary>
    public float? ScoreThreshold { get; init; }
    public int Limit { get; init; } = 10;
    public int Offset { get; init; }
    public PayloadSelector WithPayload { get; init; } = PayloadSelector.None;
    public VectorSelector WithVectors { get; init; } = VectorSelector.None;
    /// <summary>Read the vectors of example ids from another collection (and vector name).</summary>
    public LookupLocation? LookupFrom { get; init; }
}
