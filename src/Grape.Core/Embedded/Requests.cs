using System.Text.Json.Nodes;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Embedded;

/// <summary>Which points a write touches: a list of ids or every point matching a filter.</summary>
public sealed record PointsSelector
{
    private PointsSelector(IReadOnlyList<PointId>? ids, Filter? filter) { PointIds = ids; Filter = filter; }
    public static PointsSelector Ids(IReadOnlyList<PointId> ids) => new(ids ?? throw new ArgumentNullException(nameof(ids)), null);
    public static PointsSelector ByFilter(Filter filter) => new(null, filter ?? throw new ArgumentNullException(nameof(filter)));
    public IReadOnlyList<PointId>? PointIds { get; }
    public Filter? Filter { get; }
}

/// <summary>Search parameters (Qdrant's <c>params</c>).</summary>
public sealed record SearchParams
{
    public int? HnswEf { get; init; }
    /// <summary>Score every candidate exactly, bypassing any index.</summary>
    public bool Exact { get; init; }
    /// <summary>Search only indexed segments.</summary>
    public bool IndexedOnly { get; init; }
}

/// <summary>A nearest-neighbour search (Qdrant's <c>SearchRequest</c>).</summary>
public sealed record SearchRequest(float[] Vector)
{
    /// <summary>The vector name to search; "" is the unnamed vector.</summary>
    public string Using { get; init; } = PointStruct.DefaultVector;
    public Filter? Filter { get; init; }
    public int Limit { get; init; } = 10;
    public int Offset { get; init; }
    /// <summary>For Cosine and Dot: only scores ≥ this. For Euclid and Manhattan: only distances ≤ this.</summary>
    public float? ScoreThreshold { get; init; }
    public SearchParams? Params { get; init; }
    public PayloadSelector WithPayload { get; init; } = PayloadSelector.None;
    public VectorSelector WithVectors { get; init; } = VectorSelector.None;
}

/// <summary>Page through points in id order (Qdrant's <c>ScrollRequest</c>).</summary>
public sealed record ScrollRequest
{
    public Filter? Filter { get; init; }
    public int Limit { get; init; } = 10;
    /// <summary>Start from this id (inclusive).</summary>
    public PointId? Offset { get; init; }
    public PayloadSelector WithPayload { get; init; } = PayloadSelector.All;
    public VectorSelector WithVectors { get; init; } = VectorSelector.None;
}

/// <summary>A page of points and the id the next page starts from (null at the end).</summary>
public sealed record ScrollResult(IReadOnlyList<Record> Points, PointId? NextPageOffset);

/// <summary>Count points, optionally under a filter.</summary>
public sealed record CountRequest
{
    public Filter? Filter { get; init; }
    public bool Exact { get; init; } = true;
}

/// <summary>Named vectors to write into an existing point, keeping the others.</summary>
public sealed record PointVectors(PointId Id, IReadOnlyDictionary<string, Vector> Vectors);

/// <summary>One write of a batch (Qdrant's <c>UpdateOperations</c>). Applied in order; each gets its own operation id.</summary>
public abstract record UpdateOperation
{
    public sealed record Upsert(IReadOnlyList<PointStruct> Points) : UpdateOperation;
    public sealed record Delete(PointsSelector Selector) : UpdateOperation;
    /// <summary>Merge <paramref name="Payload"/> into each selected point's payload (at <paramref name="Key"/> when given).</summary>
    public sealed record SetPayload(JsonObject Payload, PointsSelector Selector, string? Key = null) : UpdateOperation;
    /// <summary>Replace each selected point's payload with <paramref name="Payload"/>.</summary>
    public sealed record OverwritePayload(JsonObject Payload, PointsSelector Selector, string? Key = null) : UpdateOperation;
    public sealed record DeletePayload(IReadOnlyList<string> Keys, PointsSelector Selector) : UpdateOperation;
    public sealed record ClearPayload(PointsSelector Selector) : UpdateOperation;
    public sealed record UpdateVectors(IReadOnlyList<PointVectors> Points, Filter? Filter = null) : UpdateOperation;
    public sealed record DeleteVectors(PointsSelector Selector, IReadOnlyList<string> VectorNames) : UpdateOperation;
}
