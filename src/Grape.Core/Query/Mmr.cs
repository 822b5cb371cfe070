namespace Grape.Core.Query;

/// <summary>
/// Maximal marginal relevance re-ranking of a nearest query. <see cref="Diversity"/> in [0, 1] (default 0.5) trades
/// relevance for dissimilarity to already chosen points; <see cref="CandidatesLimit"/> (default: the query's limit)
/// is how many nearest points are considered.
/// </summary>
public sealed record Mmr
{
    public float? Diversity { get; init; }
    public int? CandidatesLimit { get; init; }
}
