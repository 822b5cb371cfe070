using Grape.Core.Distances;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Points;
using Grape.Core.Primitives;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

/// <summary>A hit of a shard search: where the point lives and its similarity (higher is better).</summary>
internal readonly record struct ShardHit(Segment Segment, uint Offset, float Similarity);

internal sealed partial class LocalShard
{
    /// <summary>
    /// The <paramref name="k"/> most similar live points to <paramref name="query"/> (already preprocessed) in column
    /// <paramref name="column"/>, best first, ties by id. Each point appears once (newest version).
    /// </summary>
    public List<ShardHit> Search(SegmentSet set, int column, Collections.Distance distance, ReadOnlySpan<float> query, int k,
        FilterEvaluator? filter, float minSimilarity, CancellationToken cancellationToken) =>
        Search(set, column, distance, query, k, filter, minSimilarity, ShardSearchParams.ExactScan, cancellationToken);

    /// <summary>As above, with <paramref name="p"/> choosing graph or exact search per segment.</summary>
    public List<ShardHit> Search(SegmentSet set, int column, Collections.Distance distance, ReadOnlySpan<float> query, int k,
        FilterEvaluator? filter, float minSimilarity, in ShardSearchParams p, CancellationToken cancellationToken)
    {
        if (Specs[column].Multi) return SearchMulti(set, column, distance, query, k, filter, minSimilarity, p, cancellationToken);
        var hits = new List<ShardHit>(Math.Min(k, 256));
        if (k <= 0) return hits;
        // The query in the column's stored form (already rounded to its datatype by the caller): kernels compare like with like.
        VectorDatatype datatype = Specs[column].Datatype;
        ReadOnlySpan<byte> stored = datatype == VectorDatatype.Float32
            ? System.Runtime.InteropServices.MemoryMarshal.AsBytes(query)
            : Storage.Vectors.VectorEncoding.Encode(datatype, query);
        foreach (var s in set.Segments)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var graph = s.GetHnsw(column);
            if (graph is null && p.IndexedOnly && s.ColumnVectorBytes(column) > p.IndexedOnlyBytes) continue;
            var top = new TopK(k);
            try
            {
                bool searched = false;
                if (graph is not null && !p.Exact)
                {
                    if (filter is not null && datatype == VectorDatatype.Float32)
                    {
                        searched = TryFilteredGraphSearch(s, column, graph, distance, query, Math.Max(p.Ef, k), ref top, filter, minSimilarity, p.FullScanBytes);
                    }
                    else if (graph.M > 0 && AvailableVectorBytes(s, column) >= p.FullScanBytes)
                    {
                        // A graph with only payload links (m: 0) cannot answer an unfiltered search: those are exact.
                        // float16/uint8 columns walk with the filter checked at acceptance (the filtered walk reads floats).
                        GraphSearch(s, column, graph, distance, datatype, stored, Math.Max(p.Ef, k), ref top, filter, minSimilarity);
                        searched = true;
                    }
                }
                if (!searched)
                {
                    PlainScan(s, column, distance, datatype, stored, ref top, filter, minSimilarity, cancellationToken);
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

    /// <summary>Appends one segment's top-k to <paramref name="hits"/>, best first (the merge sorts them all again).</summary>
    private static void AddSorted(List<ShardHit> hits, Segment s, ref TopK top)
    {
        var best = System.Buffers.ArrayPool<ScoredOffset>.Shared.Rent(Math.Max(1, top.Count));
        int n = top.CopySortedTo(best);
        for (int i = 0; i < n; i++) hits.Add(new ShardHit(s, best[i].Offset, best[i].Score));
        System.Buffers.ArrayPool<ScoredOffset>.Shared.Return(best);
    }

    /// <summary>Vectors of the column not deleted (Qdrant's available vectors), in bytes.</summary>
    private static long AvailableVectorBytes(Segment s, int column)
    {
        long stored = s.ColumnVectorCount(column);
        if (stored == 0) return 0;
        long available = Math.Min(stored, s.LivePointCount);
        return s.ColumnVectorBytes(column) / stored * available;
    }

    /// <summary>HNSW search of one segment: deleted and filtered-out points are traversed but never returned.</summary>
    private void GraphSearch(Segment s, int column, HnswGraph graph, Collections.Distance distance, VectorDatatype datatype, ReadOnlySpan<byte> query, int ef,
        ref TopK top, FilterEvaluator? filter, float minSimilarity)
    {
        var vectors = s.GetVectorBlock(column);
        if (filter is not null)
        {
            var accept = new FilteredAcceptor(s, filter, Specs);
            HnswIndex.Search(distance, datatype, graph, vectors, query, ef, ref accept, ref top, minSimilarity);
        }
        else if (s.LivePointCount < s.SlotCount)
        {
            var accept = new LiveAcceptor(s);
            HnswIndex.Search(distance, datatype, graph, vectors, query, ef, ref accept, ref top, minSimilarity);
        }
        else
        {
            var accept = default(AcceptAll);
            HnswIndex.Search(distance, datatype, graph, vectors, query, ef, ref accept, ref top, minSimilarity);
        }
    }

    /// <summary>The exact scan specialized per stored datatype and distance (see <see cref="HnswIndex"/> for the pairs).</summary>
    private unsafe void PlainScan(Segment s, int column, Collections.Distance distance, VectorDatatype datatype, ReadOnlySpan<byte> query,
        ref TopK top, FilterEvaluator? filter, float minSimilarity, CancellationToken ct)
    {
        fixed (byte* q = query)
        {
            switch ((datatype, distance))
            {
                case (VectorDatatype.Float32, Collections.Distance.Cosine or Collections.Distance.Dot): PlainScan<Float32Similarity<DotSimilarity>>(s, column, q, ref top, filter, minSimilarity, ct); break;
                case (VectorDatatype.Float32, Collections.Distance.Euclid): PlainScan<Float32Similarity<EuclidSimilarity>>(s, column, q, ref top, filter, minSimilarity, ct); break;
                case (VectorDatatype.Float32, _): PlainScan<Float32Similarity<ManhattanSimilarity>>(s, column, q, ref top, filter, minSimilarity, ct); break;
                case (VectorDatatype.Float16, Collections.Distance.Cosine or Collections.Distance.Dot): PlainScan<HalfDotSimilarity>(s, column, q, ref top, filter, minSimilarity, ct); break;
                case (VectorDatatype.Float16, Collections.Distance.Euclid): PlainScan<HalfEuclidSimilarity>(s, column, q, ref top, filter, minSimilarity, ct); break;
                case (VectorDatatype.Float16, _): PlainScan<HalfManhattanSimilarity>(s, column, q, ref top, filter, minSimilarity, ct); break;
                case (_, Collections.Distance.Cosine): PlainScan<ByteCosineSimilarity>(s, column, q, ref top, filter, minSimilarity, ct); break;
                case (_, Collections.Distance.Dot): PlainScan<ByteDotSimilarity>(s, column, q, ref top, filter, minSimilarity, ct); break;
                case (_, Collections.Distance.Euclid): PlainScan<ByteEuclidSimilarity>(s, column, q, ref top, filter, minSimilarity, ct); break;
                default: PlainScan<ByteManhattanSimilarity>(s, column, q, ref top, filter, minSimilarity, ct); break;
            }
        }
    }

    /// <summary>Exact scan of one segment: every live slot with the vector is scored, filtered lazily (only if it could enter the top-k).</summary>
    private unsafe void PlainScan<TSim>(Segment s, int column, byte* query, ref TopK top, FilterEvaluator? filter, float minSimilarity, CancellationToken ct)
        where TSim : struct, IStoredSimilarity
    {
        if (filter is not null && TryPlainScanCandidates<TSim>(s, column, query, ref top, filter, minSimilarity, ct)) return;
        int n = s.SlotCount;
        int dim = Specs[column].Dimension;
        for (uint off = 0; off < (uint)n; off++)
        {
            if ((off & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            if (s.IsDeleted(off) || !s.HasVector(off, column)) continue;
            float sim;
            fixed (byte* stored = s.GetRawVector(off, column)) sim = TSim.Similarity(query, stored, dim);
            if (sim < minSimilarity || sim < top.Threshold) continue;
            if (filter is not null && !filter.Matches(new SegmentPoint(s, off, Specs))) continue;
            top.Offer(off, sim);
        }
    }

    /// <summary>Results up to this many are de-duplicated by a linear scan instead of a dictionary.</summary>
    private const int SmallMerge = 32;

    /// <summary>A hit with its point id, read once: the sort's tie-break and the de-duplication compare ids many times.</summary>
    private readonly record struct KeyedHit(ShardHit Hit, PointId Id);

    private readonly struct BestFirst : IComparer<KeyedHit>
    {
        public int Compare(KeyedHit a, KeyedHit b)
        {
            int c = b.Hit.Similarity.CompareTo(a.Hit.Similarity);
            return c != 0 ? c : a.Id.CompareTo(b.Id);
        }
    }

    /// <summary>Sorts hits best first (ties: lower id first), keeps one per id (the newest version) and the first <paramref name="k"/>.</summary>
    private static List<ShardHit> MergeHits(List<ShardHit> hits, int k)
    {
        int n = hits.Count;
        var keyed = System.Buffers.ArrayPool<KeyedHit>.Shared.Rent(Math.Max(n, 1));
        try
        {
            var span = keyed.AsSpan(0, n);
            for (int i = 0; i < n; i++) span[i] = new KeyedHit(hits[i], hits[i].Segment.GetId(hits[i].Offset));
            span.Sort(default(BestFirst));
            // The kept hits gather at the front of the span. A small result is searched linearly for a repeated id
            // (no dictionary per query); a large one is indexed.
            bool small = k <= SmallMerge;
            Dictionary<PointId, int>? seen = null;
            int kept = 0;
            for (int r = 0; r < n; r++)
            {
                var h = span[r];
                int at = -1;
                if (small)
                {
                    for (int j = 0; j < kept; j++)
                    {
                        if (span[j].Id == h.Id)
                        {
                            at = j;
                            break;
                        }
                    }
                }
                else if ((seen ??= new Dictionary<PointId, int>()).TryGetValue(h.Id, out int found))
                {
                    at = found;
                }
                if (at >= 0)
                {
                    // Two copies only while a write races this read: keep the newer one's data at the better rank.
                    if (h.Hit.Segment.GetVersion(h.Hit.Offset) > span[at].Hit.Segment.GetVersion(span[at].Hit.Offset)) span[at] = h;
                    continue;
                }
                if (kept == k) continue;
                if (!small) seen![h.Id] = kept;
                span[kept++] = h;
            }
            var result = new List<ShardHit>(kept);
            for (int i = 0; i < kept; i++) result.Add(span[i].Hit);
            return result;
        }
        finally
        {
            System.Buffers.ArrayPool<KeyedHit>.Shared.Return(keyed, clearArray: true); // it holds segment references
        }
    }

    /// <summary>Up to <paramref name="limit"/>+1 live points with id ≥ <paramref name="from"/> matching the filter, in id order.</summary>
    public List<(PointId Id, Segment Segment, uint Offset)> ScrollIds(SegmentSet set, PointId? from, int limit, FilterEvaluator? filter, CancellationToken ct)
    {
        int keep = limit + 1;
        // Max-heap on id holding the smallest `keep` ids seen so far.
        var heap = new PriorityQueue<PointId, PointId>(keep + 1, Comparer<PointId>.Create(static (a, b) => b.CompareTo(a)));
        var where = new Dictionary<PointId, (Segment Segment, uint Offset)>(keep + 1);
        foreach (var s in set.Segments)
        {
            bool exact = false;
            var candidates = filter is null ? null : PlanCandidates(s, filter, 1.0, out exact);
            int n = candidates?.Count ?? s.SlotCount;
            for (int i = 0; i < n; i++)
            {
                uint off = candidates is { } c ? c[i] : (uint)i;
                if ((i & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
                if (s.IsDeleted(off)) continue;
                var id = s.GetId(off);
                if (from is { } f && id < f) continue;
                if (heap.Count == keep && heap.TryPeek(out var largest, out _) && id > largest) continue;
                if (where.TryGetValue(id, out var existing))
                {
                    if (s.GetVersion(off) > existing.Segment.GetVersion(existing.Offset)) where[id] = (s, off);
                    continue;
                }
                if (filter is not null && !exact && !filter.Matches(new SegmentPoint(s, off, Specs))) continue;
                heap.Enqueue(id, id);
                where[id] = (s, off);
                if (heap.Count > keep) where.Remove(heap.Dequeue());
            }
        }
        var result = new List<(PointId, Segment, uint)>(heap.Count);
        foreach (var (id, loc) in where) result.Add((id, loc.Segment, loc.Offset));
        result.Sort(static (a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    /// <summary>Live points, or live points matching the filter.</summary>
    public long Count(SegmentSet set, FilterEvaluator? filter, CancellationToken ct)
    {
        long count = 0;
        if (filter is null)
        {
            foreach (var s in set.Segments) count += s.LivePointCount;
            return count;
        }
        foreach (var s in set.Segments) count += CountInSegment(s, filter, ct);
        return count;
    }
}
