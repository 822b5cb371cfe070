using Grape.Core.Filtering.Model;

namespace Grape.Core.Collections;

/// <summary>Counts of the values of an indexed field (Qdrant's <c>FacetRequest</c>).</summary>
public sealed record FacetRequest(string Key)
{
    public Filter? Filter { get; init; }
    /// <summary>How many values to return, most frequent first (Qdrant's default 10).</summary>
    public int Limit { get; init; } = 10;
    /// <summary>Qdrant may approximate when false; Grape always counts exactly.</summary>
    public bool Exact { get; init; }
}

/// <summary>A value and the number of points holding it (a point counts once per distinct value).</summary>
public sealed record FacetHit(MatchScalar Value, long Count);

/// <summary>Hits sorted by count (descending), then value (ascending).</summary>
public sealed record FacetResponse(IReadOnlyList<FacetHit> Hits);
