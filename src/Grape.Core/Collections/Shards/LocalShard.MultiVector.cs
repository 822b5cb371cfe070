using Grape.Core.Distances;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Primitives;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

// Search over a multivector column: an exact max_sim scan of every segment (no graph is built over multivectors yet).
internal sealed partial class LocalShard
{
    /// <summary>
    /// The <paramref name="k"/> live points whose multivectors score best against <paramref name="query"/> (sub-vectors
    /// flattened row-major, already preprocessed) under max_sim; best first, ties by id, one per id.
    /// </summary>
    private List<ShardHit> SearchMulti(SegmentSet set, int column, Distance distance, ReadOnlySpan<float> query, int k,
        FilterEvaluator? filter, float minSimilarity, CancellationToken ct)
    {
        var hits = new List<ShardHit>();
        if (k <= 0) return hits;
        int dim = Specs[column].Dimension;
        if (query.IsEmpty || query.Length % dim != 0)
            throw new ArgumentException($"A multivector query needs whole {dim}-dim sub-vectors, got {query.Length} values", nameof(query));
        var best = System.Buffers.ArrayPool<ScoredOffset>.Shared.Rent(Math.Min(k, 4096));
        try
        {
            foreach (var s in set.Segments)
            {
                ct.ThrowIfCancellationRequested();
                var top = new TopK(k);
                try
                {
                    switch (distance)
                    {
                        case Distance.Cosine when Specs[column].Datatype == VectorDatatype.Uint8: MultiScan<CosineSimilarity>(s, column, dim, query, ref top, filter, minSimilarity, ct); break;
                        case Distance.Cosine:
                        case Distance.Dot: MultiScan<DotSimilarity>(s, column, dim, query, ref top, filter, minSimilarity, ct); break;
                        case Distance.Euclid: MultiScan<EuclidSimilarity>(s, column, dim, query, ref top, filter, minSimilarity, ct); break;
                        default: MultiScan<ManhattanSimilarity>(s, column, dim, query, ref top, filter, minSimilarity, ct); break;
                    }
                    if (best.Length < top.Count)
                    {
                        System.Buffers.ArrayPool<ScoredOffset>.Shared.Return(best);
                        best = System.Buffers.ArrayPool<ScoredOffset>.Shared.Rent(top.Count);
                    }
                    int n = top.CopySortedTo(best);
                    for (int i = 0; i < n; i++) hits.Add(new ShardHit(s, best[i].Offset, best[i].Score));
                }
                finally
                {
                    top.Dispose();
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<ScoredOffset>.Shared.Return(best);
        }
        return MergeHits(hits, k);
    }

    /// <summary>Exact max_sim scan of one segment; the filter is checked only for points that would enter the top-k.</summary>
    private void MultiScan<TSim>(Segment s, int column, int dim, ReadOnlySpan<float> query, ref TopK top, FilterEvaluator? filter,
        float minSimilarity, CancellationToken ct)
        where TSim : struct, ISimilarity
    {
        int n = s.SlotCount;
        float[]? scratch = null; // float16/uint8 columns are decoded into it, once per candidate
        for (uint off = 0; off < (uint)n; off++)
        {
            if ((off & 0x3FF) == 0) ct.ThrowIfCancellationRequested();
            if (s.IsDeleted(off)) continue;
            var stored = s.GetVector(off, column, ref scratch);
            if (stored.IsEmpty) continue;
            float sim = MaxSimKernel.Similarity<TSim>(query, stored, dim);
            if (sim < minSimilarity || sim < top.Threshold) continue;
            if (filter is not null && !filter.Matches(new SegmentPoint(s, off, Specs))) continue;
            top.Offer(off, sim);
        }
    }
}
