using Grape.Core.Distances;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Planning;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Primitives;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

// Search over a multivector column: per segment, a walk of its max_sim graph or an exact max_sim scan, decided as for a
// dense column.
internal sealed partial class LocalShard
{
    /// <summary>
    /// The <paramref name="k"/> live points whose multivectors score best against <paramref name="query"/> (sub-vectors
    /// flattened row-major, already preprocessed) under max_sim; best first, ties by id, one per id. Per segment as
    /// <see cref="Search(SegmentSet, int, Distance, ReadOnlySpan{float}, int, FilterEvaluator?, float, in ShardSearchParams, CancellationToken)"/>
    /// decides for dense columns: the graph with ef unless <c>exact</c>, the graph has no main links (<c>m: 0</c>), the
    /// segment's available vectors are under <c>full_scan_threshold</c>, or a filter keeps too few points for a walk;
    /// <c>indexed_only</c> skips large segments without a graph. Every score is the exact scan's (<see cref="MaxSimKernel"/>
    /// over the decoded floats): a walk's ef results are rescored with it before the top k are kept.
    /// </summary>
    private List<ShardHit> SearchMulti(SegmentSet set, int column, Distance distance, ReadOnlySpan<float> query, int k,
        FilterEvaluator? filter, float minSimilarity, in ShardSearchParams p, CancellationToken ct)
    {
        var hits = new List<ShardHit>();
        if (k <= 0) return hits;
        int dim = Specs[column].Dimension;
        if (query.IsEmpty || query.Length % dim != 0)
            throw new ArgumentException($"A multivector query needs whole {dim}-dim sub-vectors, got {query.Length} values", nameof(query));
        VectorDatatype datatype = Specs[column].Datatype;
        int ef = Math.Max(p.Ef, k);
        byte[]? encoded = null; // the query in a float16/uint8 column's stored form, made once the first walk needs it
        foreach (var s in set.Segments)
        {
            ct.ThrowIfCancellationRequested();
            var graph = s.GetHnsw(column);
            if (graph is null && p.IndexedOnly && s.ColumnVectorBytes(column) > p.IndexedOnlyBytes) continue;
            var top = new TopK(k);
            try
            {
                bool walk = graph is not null && !p.Exact && graph.M > 0
                    && (filter is null ? AvailableVectorBytes(s, column) >= p.FullScanBytes : MultiGraphFitsFilter(s, column, filter, p.FullScanBytes));
                ReadOnlySpan<byte> stored = default;
                if (walk)
                {
                    stored = datatype == VectorDatatype.Float32
                        ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(query)
                        : encoded ??= Storage.Vectors.VectorEncoding.Encode(datatype, query);
                }
                switch (distance)
                {
                    case Distance.Cosine when datatype == VectorDatatype.Uint8: MultiSegment<CosineSimilarity>(s, column, graph, walk, distance, stored, query, ef, ref top, filter, minSimilarity, ct); break;
                    case Distance.Cosine:
                    case Distance.Dot: MultiSegment<DotSimilarity>(s, column, graph, walk, distance, stored, query, ef, ref top, filter, minSimilarity, ct); break;
                    case Distance.Euclid: MultiSegment<EuclidSimilarity>(s, column, graph, walk, distance, stored, query, ef, ref top, filter, minSimilarity, ct); break;
                    default: MultiSegment<ManhattanSimilarity>(s, column, graph, walk, distance, stored, query, ef, ref top, filter, minSimilarity, ct); break;
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

    /// <summary>One segment: the graph walk (then the exact rescoring of its ef results) or the exact scan.</summary>
    private void MultiSegment<TSim>(Segment s, int column, HnswGraph? graph, bool walk, Distance distance, ReadOnlySpan<byte> stored, ReadOnlySpan<float> query,
        int ef, ref TopK top, FilterEvaluator? filter, float minSimilarity, CancellationToken ct)
        where TSim : struct, ISimilarity
    {
        int dim = Specs[column].Dimension;
        if (!walk)
        {
            MultiScan<TSim>(s, column, dim, query, ref top, filter, minSimilarity, ct);
            return;
        }
        var found = new TopK(ef);
        var best = System.Buffers.ArrayPool<ScoredOffset>.Shared.Rent(ef);
        try
        {
            MultiVectorBlock block = s.GetMultiVectorBlock(column);
            VectorDatatype datatype = Specs[column].Datatype;
            if (filter is not null)
            {
                var accept = new FilteredAcceptor(s, filter, Specs);
                MultiVectorHnswIndex.Search(distance, datatype, graph!, block, stored, ef, ref accept, ref found, float.NegativeInfinity);
            }
            else if (s.LivePointCount < s.SlotCount)
            {
                var accept = new LiveAcceptor(s);
                MultiVectorHnswIndex.Search(distance, datatype, graph!, block, stored, ef, ref accept, ref found, float.NegativeInfinity);
            }
            else
            {
                var accept = default(AcceptAll);
                MultiVectorHnswIndex.Search(distance, datatype, graph!, block, stored, ef, ref accept, ref found, float.NegativeInfinity);
            }
            int n = found.CopySortedTo(best);
            float[]? scratch = null;
            for (int i = 0; i < n; i++)
            {
                uint off = best[i].Offset;
                float sim = MaxSimKernel.Similarity<TSim>(query, s.GetVector(off, column, ref scratch), dim);
                if (sim >= minSimilarity) top.Offer(off, sim);
            }
        }
        finally
        {
            found.Dispose();
            System.Buffers.ArrayPool<ScoredOffset>.Shared.Return(best);
        }
    }

    /// <summary>
    /// Whether a filtered search of a segment walks its multivector graph (the filter checked as each node is accepted),
    /// decided as <see cref="DecideAndSearch"/> decides for dense columns: the planner's estimate of the matching points,
    /// adjusted to the available vectors, against <c>full_scan_threshold</c> in points (KB × 1024 / average bytes of one
    /// multivector); under it the exact scan, over it the walk, in between a seeded sample. A walk needs enough matches
    /// among the nodes it meets: under the threshold it could end with fewer than k of them.
    /// </summary>
    private bool MultiGraphFitsFilter(Segment s, int column, FilterEvaluator filter, long fullScanBytes)
    {
        if (FilterBounds(s, column, filter, fullScanBytes) is not { } b) return false;
        bool walk;
        if (b.Max < b.Threshold) walk = false;
        else if (b.Min > b.Threshold) walk = true;
        else
        {
            var check = new FilteredAcceptor(s, filter, Specs);
            walk = SampleHasMore(s, ref check, b.Threshold, b.AvailableVectors);
        }
        Interlocked.Increment(ref walk ? ref _filteredGraphSearches : ref _filteredPlainSearches);
        return walk;
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
