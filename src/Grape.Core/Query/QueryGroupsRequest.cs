using Grape.Core.Points;

namespace Grape.Core.Query;

/// <summary>
/// A query whose results are grouped by a payload value (Qdrant's <c>QueryGroupsRequest</c>): up to
/// <see cref="Limit"/> groups of up to <see cref="GroupSize"/> points each, groups ordered by their best point. A point
/// whose value is an array joins the group of every element. <see cref="Query"/>'s limit and offset are ignored.
/// </summary>
public sealed record QueryGroupsRequest(QueryRequest Query, string GroupBy)
{
    public int GroupSize { get; init; } = 3;
    public int Limit { get; init; } = 10;
    /// <summary>Attach to each group the point of another collection whose id is the group id.</summary>
    public WithLookup? WithLookup { get; init; }
}

/// <summary>Which collection group ids are looked up in, and what of the found point to return.</summary>
public sealed record WithLookup(string Collection)
{
    public PayloadSelector WithPayload { get; init; } = PayloadSelector.All;
    public VectorSelector WithVectors { get; init; } = VectorSelector.None;
}
