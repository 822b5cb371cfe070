using System.Buffers;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Planning;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Indexing.Payload;
using Grape.Core.Primitives;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

internal sealed partial class LocalShard
{
    /// <summary>Points sampled at most to decide between graph and exact search (Qdrant's <c>MAX_ESTIMATED_POINTS</c>).</summary>
    private const int MaxEstimatedPoints = 1000;

    /// <summary>
    /// Filtered search of a segment with a graph, decided as Qdrant does: the planner's cardinality estimate (from the
    /// payload indexes, adjusted to the available vectors) against <c>full_scan_threshold</c> in points. Below it
    /// (<c>max</c> under the threshold) the matching points are scored exactly (returns false: the caller's exact scan,
    /// which visits the index candidates); above it (<c>min</c> over the threshold) the graph is walked with the filter
    /// checked during traversal; in between, a sample of the live points decides. The traversal check is a bitset of the
    /// index answer when the indexes hold every match (and all of the filter when they are exact), else the filter itself.
    /// </summary>
    private bool TryFilteredGraphSearch(Segment s, int column, HnswGraph graph, Distance distance, ReadOnlySpan<float> query, int ef,
        ref TopK top, FilterEvaluator filter, float minSimilarity, long fullScanBytes)
    {
        bool graphUsed = DecideAndSearch(s, column, graph, distance, query, ef, ref top, filter, minSimilarity, fullScanBytes);
        Interlocked.Increment(ref graphUsed ? ref _filteredGraphSearches : ref _filteredPlainSearches);
        return graphUsed;
    }

    private long _filteredGraphSearches, _filteredPlainSearches;

    /// <summary>Segment searches with a filter (on segments with a graph) answered by the graph and by exact scoring,
    /// since the shard opened (Qdrant's large/small cardinality telemetry).</summary>
    internal (long Graph, long Plain) FilteredSearchCounts => (Interlocked.Read(ref _filteredGraphSearches), Interlocked.Read(ref _filteredPlainSearches));

    /// <summary>
    /// Qdrant's figures for choosing between a filtered walk and an exact scan of one segment's column: the planner's
    /// estimate of the matching points, its bounds adjusted to the available vectors (<c>Min</c> less the deleted
    /// vectors, <c>Max</c> at most the available ones), and <c>full_scan_threshold</c> in points (bytes over the average
    /// bytes of one of the column's vectors). Null when the column has no available vector.
    /// </summary>
    private FilterWalkBounds? FilterBounds(Segment s, int column, FilterEvaluator filter, long fullScanBytes)
    {
        long stored = s.ColumnVectorCount(column);
        long availablePoints = s.LivePointCount;
        long availableVectors = Math.Min(stored, availablePoints);
        if (availableVectors == 0) return null;
        long threshold = fullScanBytes / Math.Max(1, s.ColumnVectorBytes(column) / stored);
        var estimation = s.PayloadIndex.All.Count == 0 && !HasIdAtTop(filter)
            ? CardinalityEstimation.Unknown(s.SlotCount)
            : FilterPlanner.Estimate(filter.Source, s);
        long deletedVectors = availablePoints - availableVectors;
        return new FilterWalkBounds(estimation, Math.Max(0, estimation.Min - deletedVectors), Math.Min(estimation.Max, availableVectors),
            threshold, availableVectors);
    }

    private readonly record struct FilterWalkBounds(CardinalityEstimation Estimation, long Min, long Max, long Threshold, long AvailableVectors);

    private bool DecideAndSearch(Segment s, int column, HnswGraph graph, Distance distance, ReadOnlySpan<float> query, int ef,
        ref TopK top, FilterEvaluator filter, float minSimilarity, long fullScanBytes)
    {
        if (FilterBounds(s, column, filter, fullScanBytes) is not { } bounds) return false;
        (CardinalityEstimation estimation, long min, long max, long threshold, long availableVectors) = bounds;
        if (max < threshold) return false;

        // A composite filter the indexes answer exactly becomes one bitset (exact like a single indexed condition).
        ulong[]? bits = null;
        bool exact = estimation.Exact;
        if (!exact && s.PayloadIndex.All.Count > 0 && FilterBitset.TryBuild(filter.Source, s) is { } all)
        {
            bits = all;
            exact = true;
        }
        bool pooled = bits is not null;
        if (bits is null && estimation.Primaries is not null)
        {
            bits = CachedIndexBits(s, estimation.Primaries);
            pooled = bits is null;
            bits ??= IndexBits(estimation.Primaries, s.SlotCount);
        }
        try
        {
            if (bits is not null && exact)
            {
                var check = new BitsetAcceptor(bits, s);
                if (min <= threshold && !SampleHasMore(s, ref check, threshold, availableVectors)) return false;
                if (graph.M == 0 && !(graph.PayloadLinks is { } links && links.Covers(LiveBits(bits, s)) && CanSeed(graph, ref check))) return false;
                // Two-hop expansion where matches are sparse enough to strand the walk (ACORN's default max selectivity, 0.4).
                bool twoHop = estimation.Exp <= AcornMaxSelectivity * availableVectors;
                HnswIndex.SearchFiltered(distance, graph, s.GetVectorBlock(column), query, ef, ref check, ref top, minSimilarity, twoHop, cheapCheck: true);
            }
            else if (bits is not null)
            {
                var check = new BitsetFilteredAcceptor(bits, s, filter, Specs);
                if (graph.M == 0) return false; // only payload links: a walk is sure to reach every match only for exact bits
                if (min <= threshold && !SampleHasMore(s, ref check, threshold, availableVectors)) return false;
                HnswIndex.SearchFiltered(distance, graph, s.GetVectorBlock(column), query, ef, ref check, ref top, minSimilarity, twoHop: false, cheapCheck: false);
            }
            else
            {
                var check = new FilteredAcceptor(s, filter, Specs);
                if (graph.M == 0) return false;
                if (min <= threshold && !SampleHasMore(s, ref check, threshold, availableVectors)) return false;
                HnswIndex.SearchFiltered(distance, graph, s.GetVectorBlock(column), query, ef, ref check, ref top, minSimilarity, twoHop: false, cheapCheck: false);
            }
            return true;
        }
        finally
        {
            if (bits is not null && pooled) ArrayPool<ulong>.Shared.Return(bits);
        }
    }

    private const double AcornMaxSelectivity = 0.4;

    /// <summary>
    /// A graph with only payload links (<c>m: 0</c>) is walked from the entry of the one block the filter keeps (a
    /// tenant), and only when every match lies in some block (checked by the caller). Otherwise the segment is searched
    /// exactly: a walk reaches nothing outside the block graphs, and one walk over several disconnected block graphs
    /// abandons the far ones.
    /// </summary>
    private static bool CanSeed<TCheck>(HnswGraph graph, ref TCheck check) where TCheck : struct, IHnswAcceptor
    {
        if (graph.PayloadLinks is not { } links) return false;
        int kept = 0;
        foreach (uint e in links.EntryPoints)
            if (check.Accept(e) && ++kept > 1) return false;
        return kept == 1;
    }

    /// <summary>The exact matches' bits as a span over the segment's slots (deleted slots may be set: a deleted slot
    /// outside every block makes the check fail safe, toward exact search).</summary>
    private static ReadOnlySpan<ulong> LiveBits(ulong[] bits, Segment s) => bits.AsSpan(0, (s.SlotCount + 63) >> 6);

    /// <summary>Bitsets of whole posting lists of immutable segments, kept while the list's array lives (its segment).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<uint[], CachedBits> s_bitsCache = new();

    private sealed record CachedBits(int Count, ulong[] Bits);

    /// <summary>
    /// The bitset of a single posting list (a keyword or integer value) of an immutable segment, built once and cached
    /// with the list; null for anything else (ranges, unions, appendable segments) or for lists so short that the bitset
    /// would outweigh them (under slots/16 entries). Never returned to the pool.
    /// </summary>
    private static ulong[]? CachedIndexBits(Segment s, IReadOnlyList<IndexHits> primaries)
    {
        if (s.IsAppendable || primaries.Count != 1 || primaries[0].Parts.Count != 1) return null;
        ArraySegment<uint> part = primaries[0].Parts[0];
        if (part.Array is not { } array || part.Offset != 0 || part.Count < s.SlotCount / 16) return null;
        if (s_bitsCache.TryGetValue(array, out var cached) && cached.Count == part.Count) return cached.Bits;
        var bits = new ulong[(s.SlotCount + 63) >> 6];
        foreach (uint off in part.AsSpan())
            if ((off >> 6) < (uint)bits.Length) bits[off >> 6] |= 1UL << (int)off;
        s_bitsCache.AddOrUpdate(array, new CachedBits(part.Count, bits));
        return bits;
    }

    /// <summary>A bit per slot set for every offset of the index answers (rented; the caller returns it).</summary>
    private static ulong[] IndexBits(IReadOnlyList<IndexHits> primaries, int slots)
    {
        int words = (slots + 63) >> 6;
        ulong[] bits = ArrayPool<ulong>.Shared.Rent(Math.Max(1, words));
        Array.Clear(bits, 0, words);
        foreach (IndexHits hits in primaries)
        {
            foreach (ArraySegment<uint> part in hits.Parts)
            {
                foreach (uint off in part.AsSpan())
                    if (off < (uint)slots) bits[off >> 6] |= 1UL << (int)off;
            }
        }
        return bits;
    }

    /// <summary>
    /// Qdrant's <c>sample_check_cardinality</c>: checks random live slots until the Agresti–Coull interval (z = 2) of the
    /// matching share, scaled to <paramref name="total"/>, lies wholly above or below <paramref name="threshold"/>, or
    /// <see cref="MaxEstimatedPoints"/> were checked (then the estimate decides). True: more matches than the threshold.
    /// The sample is seeded, so one segment and filter always decide the same way.
    /// </summary>
    internal static bool SampleHasMore<TCheck>(Segment s, ref TCheck check, long threshold, long total)
        where TCheck : struct, IHnswAcceptor
    {
        int slots = s.SlotCount;
        if (slots == 0) return false;
        ulong state = 0x9E37_79B9_7F4A_7C15UL ^ (ulong)slots;
        int matched = 0, checkedCount = 0;
        long exp = 0;
        for (int tries = 0; checkedCount < MaxEstimatedPoints && tries < MaxEstimatedPoints * 4; tries++)
        {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            uint off = (uint)(state % (ulong)slots);
            if (s.IsDeleted(off)) continue;
            if (check.Accept(off)) matched++;
            checkedCount++;
            const double z = 2;
            double nHat = checkedCount + (z * z);
            double pHat = (matched + (z * z / 2)) / nHat;
            double interval = z * Math.Sqrt(pHat / nHat * (1 - pHat));
            exp = (long)(pHat * total);
            long delta = (long)(interval * total);
            if (exp - delta > threshold) return true;
            if (exp + delta < threshold) return false;
        }
        return exp > threshold;
    }
}
