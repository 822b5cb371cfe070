using Grape.Core.Distances;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Planning;
using Grape.Core.Indexing.Payload;
using Grape.Core.Primitives;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

internal sealed partial class LocalShard
{
    /// <summary>
    /// Below this share of a segment's slots, exact search visits the index candidates instead of every slot when
    /// they still need a payload check (exact candidates are always cheaper than a scan). Above it the lazy scan,
    /// which checks the filter only for points that would enter the top-k, reads fewer payloads.
    /// </summary>
    private const double SearchCandidateShare = 0.25;

    private PayloadSchemaStore _payloadSchema = new();

    /// <summary>The payload schema every segment indexes.</summary>
    public PayloadSchemaStore PayloadSchema => _payloadSchema;

    private void ApplyCreateFieldIndex(ShardOperation.CreateFieldIndex op)
    {
        foreach (var s in _current.Segments) s.CreateFieldIndex(op.Key, op.Schema);
        _payloadSchema.Set(op.Key, op.Schema);
    }

    private void ApplyDeleteFieldIndex(ShardOperation.DeleteFieldIndex op)
    {
        foreach (var s in _current.Segments) s.DeleteFieldIndex(op.Key);
        _payloadSchema.Remove(op.Key);
    }

    /// <summary>After open: every segment indexes exactly the schema (a crash may have left a schema change unapplied).</summary>
    private void ReconcilePayloadIndexes()
    {
        foreach (var s in _current.Segments) EnsurePayloadIndexes(s);
    }

    /// <summary>Builds the schema's missing indexes in <paramref name="segment"/> and drops the ones it no longer has.</summary>
    private void EnsurePayloadIndexes(Segment segment)
    {
        var schema = _payloadSchema.Current;
        foreach (var (key, fieldSchema) in schema) segment.CreateFieldIndex(key, fieldSchema);
        foreach (var index in segment.PayloadIndex.All)
            if (!schema.ContainsKey(index.Key)) segment.DeleteFieldIndex(index.Key);
    }

    /// <summary>
    /// The slots of <paramref name="s"/> to visit for <paramref name="filter"/> instead of all of them, or null to scan:
    /// index candidates when the filter has primary conditions that hold fewer entries than
    /// <paramref name="maxShare"/> of the slots. <paramref name="exact"/>: the live candidates are exactly the matches.
    /// <paramref name="anyOrder"/>: the caller does not need them ascending (a range answer is then not sorted).
    /// </summary>
    internal static ArraySegment<uint>? PlanCandidates(Segment s, FilterEvaluator filter, double maxShare, out bool exact, bool anyOrder = false)
    {
        exact = false;
        if (s.PayloadIndex.All.Count == 0 && !HasIdAtTop(filter)) return null;
        var estimation = FilterPlanner.Estimate(filter.Source, s);
        if (estimation.Primaries is null) return null;
        long entries = estimation.PrimaryEntries;
        if (!(estimation.Exact && entries <= s.SlotCount) && entries > maxShare * s.SlotCount) return null;
        exact = estimation.Exact;
        return FilterPlanner.Candidates(estimation, anyOrder);
    }

    /// <summary>Candidates past which the index bitset of a composite filter pays for itself over reading payloads.</summary>
    private const int BitsetMinCandidates = 256;

    /// <summary>
    /// The filter's matches as index bits (<see cref="FilterBitset"/>) when every condition is answered exactly by an index
    /// and there are enough <paramref name="candidates"/> to check for building them to be cheaper than reading each
    /// candidate's payload; null otherwise (or when the tree cannot be answered that way). The caller returns the array.
    /// </summary>
    internal static ulong[]? MatchBits(Segment s, FilterEvaluator filter, int candidates) =>
        candidates < BitsetMinCandidates || s.PayloadIndex.All.Count == 0 ? null : FilterBitset.TryBuild(filter.Source, s);

    private static bool HasIdAtTop(FilterEvaluator filter)
    {
        var f = filter.Source;
        return f.Must?.Any(c => c is Filtering.Model.HasIdCondition) == true || f.Should?.Any(c => c is Filtering.Model.HasIdCondition) == true;
    }

    /// <summary>Live points of one segment matching the filter, through the indexes when they narrow it down.</summary>
    private long CountInSegment(Segment s, FilterEvaluator filter, CancellationToken ct)
    {
        long count = 0;
        if (PlanCandidates(s, filter, 1.0, out bool exact) is { } candidates)
        {
            ulong[]? bits = exact ? null : MatchBits(s, filter, candidates.Count);
            try
            {
                for (int i = 0; i < candidates.Count; i++)
                {
                    if ((i & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
                    uint off = candidates[i];
                    if (s.IsDeleted(off)) continue;
                    if (exact || (bits is not null ? (bits[off >> 6] & (1UL << (int)off)) != 0 : filter.Matches(new SegmentPoint(s, off, Specs)))) count++;
                }
            }
            finally
            {
                if (bits is not null) FilterBitset.Return(bits);
            }
            return count;
        }
        int n = s.SlotCount;
        for (uint off = 0; off < (uint)n; off++)
        {
            if ((off & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            if (!s.IsDeleted(off) && filter.Matches(new SegmentPoint(s, off, Specs))) count++;
        }
        return count;
    }

    /// <summary>Exact search of one segment's index candidates (see <see cref="PlanCandidates"/>).</summary>
    private unsafe bool TryPlainScanCandidates<TSim>(Segment s, int column, byte* query, ref TopK top, FilterEvaluator filter,
        float minSimilarity, CancellationToken ct) where TSim : struct, IStoredSimilarity
    {
        int dim = Specs[column].Dimension;
        if (PlanCandidates(s, filter, SearchCandidateShare, out bool exact, anyOrder: true) is not { } candidates) return false;
        // Candidates are scattered over the column: ask for the vectors a few candidates ahead (immutable segments
        // have one contiguous block).
        Indexing.Hnsw.VectorBlock? block = s.IsAppendable || Specs[column].Multi ? null : s.GetVectorBlock(column);
        int lines = Math.Min(4, ((dim * Specs[column].ElementBytes) + 63) / 64);
        const int Ahead = 6;
        for (int i = 0; i < candidates.Count; i++)
        {
            if ((i & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            uint off = candidates[i];
            if (block is { } b && i + Ahead < candidates.Count) b.Prefetch(candidates[i + Ahead], lines);
            if (s.IsDeleted(off) || !s.HasVector(off, column)) continue;
            float sim;
            fixed (byte* stored = s.GetRawVector(off, column)) sim = TSim.Similarity(query, stored, dim);
            if (sim < minSimilarity || sim < top.Threshold) continue;
            if (!exact && !filter.Matches(new SegmentPoint(s, off, Specs))) continue;
            top.Offer(off, sim);
        }
        return true;
    }

    /// <summary>Live points with a value in each index, summed over segments (Qdrant's <c>points</c> of <c>payload_schema</c>).</summary>
    public Dictionary<string, long> IndexedPointCounts(SegmentSet set)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in _payloadSchema.Current.Keys) counts[key] = 0;
        foreach (var s in set.Segments)
        {
            foreach (var index in s.PayloadIndex.All)
            {
                if (!counts.TryGetValue(index.Key, out long c)) continue;
                var points = index.Points.Snapshot();
                foreach (uint off in points.AsSpan())
                    if (!s.IsDeleted(off)) c++;
                counts[index.Key] = c;
            }
        }
        return counts;
    }
}
