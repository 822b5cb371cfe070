using Grape.Core.Filtering.Conditions;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Primitives;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

internal sealed partial class LocalShard
{
    /// <summary>
    /// The <paramref name="k"/> best live points by <paramref name="ranker"/> in column <paramref name="column"/>, best
    /// first, ties by id, one per id: segments with a graph walk it (Qdrant searches custom-score queries through HNSW
    /// with the same <c>hnsw_ef</c>, <c>exact</c> and <c>full_scan_threshold</c> rules as nearest ones), the others are
    /// scanned. <paramref name="minRank"/> drops lower ranks; <paramref name="usedGraph"/> tells whether any segment
    /// was answered by its graph.
    /// </summary>
    public List<ShardHit> SearchRanked(SegmentSet set, int column, IVectorRanker ranker, int k, FilterEvaluator? filter, float minRank,
        in ShardSearchParams p, out bool usedGraph, CancellationToken cancellationToken)
    {
        usedGraph = false;
        var hits = new List<ShardHit>();
        if (k <= 0) return hits;
        foreach (var s in set.Segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Custom scores read float vectors: float16/uint8 columns (and multivectors, which have no graph) are scanned.
            var graph = Specs[column].Multi || Specs[column].Datatype != VectorDatatype.Float32 ? null : s.GetHnsw(column);
            if (graph is null && p.IndexedOnly && s.ColumnVectorBytes(column) > p.IndexedOnlyBytes) continue;
            var top = new TopK(k);
            try
            {
                // A graph with only payload links (m: 0) has no main links to walk: such segments are scanned.
                if (graph is not null && graph.M > 0 && !p.Exact && AvailableVectorBytes(s, column) >= p.FullScanBytes)
                {
                    usedGraph = true;
                    int ef = Math.Max(p.Ef, k);
                    if (filter is not null)
                    {
                        var accept = new FilteredAcceptor(s, filter, Specs);
                        GraphRanked(s, column, graph, ranker, ef, ref accept, ref top, minRank);
                    }
                    else if (s.LivePointCount < s.SlotCount)
                    {
                        var accept = new LiveAcceptor(s);
                        GraphRanked(s, column, graph, ranker, ef, ref accept, ref top, minRank);
                    }
                    else
                    {
                        var accept = default(AcceptAll);
                        GraphRanked(s, column, graph, ranker, ef, ref accept, ref top, minRank);
                    }
                }
                else
                {
                    RankedScan(s, column, ranker, ref top, filter, minRank, cancellationToken);
                }
                AddSorted(hits, s, ref top);
            }
            finally
            {
                top.Dispose();
            }
        }
        return MergeHits(hits, k);
    }

    /// <summary>
    /// One segment's graph answer: with seeds, the ef nearest accepted neighbours of each seed, ranked; otherwise a
    /// walk scored by the ranker.
    /// </summary>
    private static void GraphRanked<TAccept>(Segment s, int column, HnswGraph graph, IVectorRanker ranker, int ef, ref TAccept accept, ref TopK top, float minRank)
        where TAccept : struct, IHnswAcceptor
    {
        var vectors = s.GetVectorBlock(column);
        if (ranker.Seeds is not { Count: > 0 } seeds)
        {
            var scorer = new RankerHnswScorer(vectors, ranker, HnswIndex.PrefetchLines);
            HnswSearcher<RankerHnswScorer>.Search(graph, ref scorer, ef, ref accept, ref top, minRank);
            return;
        }
        var ranked = new HashSet<uint>();
        var near = System.Buffers.ArrayPool<ScoredOffset>.Shared.Rent(ef);
        try
        {
            foreach (var seed in seeds)
            {
                var neighbours = new TopK(ef);
                try
                {
                    HnswIndex.Search(ranker.Distance, graph, vectors, seed, ef, ref accept, ref neighbours, float.NegativeInfinity);
                    int n = neighbours.CopySortedTo(near);
                    for (int i = 0; i < n; i++)
                    {
                        uint off = near[i].Offset;
                        if (!ranked.Add(off)) continue;
                        float rank = ranker.Rank(vectors.Get(off));
                        if (rank >= minRank) top.Offer(off, rank);
                    }
                }
                finally
                {
                    neighbours.Dispose();
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<ScoredOffset>.Shared.Return(near);
        }
    }

    /// <summary>Every live slot having the vector ranked; the filter is checked only for slots that would enter the top-k.</summary>
    private void RankedScan(Segment s, int column, IVectorRanker ranker, ref TopK top, FilterEvaluator? filter, float minRank, CancellationToken ct)
    {
        int n = s.SlotCount;
        float[]? scratch = null; // float16/uint8 columns decode into it, not into an array per slot
        for (uint off = 0; off < (uint)n; off++)
        {
            if ((off & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            if (s.IsDeleted(off) || !s.HasVector(off, column)) continue;
            float rank = ranker.Rank(s.GetVector(off, column, ref scratch));
            if (rank < minRank || rank < top.Threshold) continue;
            if (filter is not null && !filter.Matches(new SegmentPoint(s, off, Specs))) continue;
            top.Offer(off, rank);
        }
    }
}
