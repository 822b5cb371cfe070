namespace Grape.Core.Collections.Shards;

/// <summary>
/// A query scoring stored vectors with its own rule (Qdrant's recommend <c>best_score</c>/<c>sum_scores</c>, discover,
/// context): higher ranks are better. A shard searches its segments' graphs with it as with a nearest query, so these
/// queries cost an HNSW walk, not a scan.
/// </summary>
internal interface IVectorRanker
{
    float Rank(ReadOnlySpan<float> stored);

    /// <summary>The distance of the column's graph (the metric the seeds' neighbours are found with).</summary>
    Distance Distance { get; }

    /// <summary>
    /// Vectors (preprocessed) whose nearest neighbours hold the best-ranked points, or null. Recommend's
    /// <c>best_score</c> ranks a point by its closest positive example, so its best points are near one positive or
    /// another: a walk guided by the ranker itself goes to one of those regions and misses the others, while the
    /// neighbours of every positive, ranked, find them all.
    /// </summary>
    IReadOnlyList<float[]>? Seeds { get; }
}
