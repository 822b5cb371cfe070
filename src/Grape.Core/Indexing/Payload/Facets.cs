using Grape.Core.Collections;
using Grape.Core.Collections.Shards;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Primitives;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// Facet counts from the value → posting maps of keyword, integer (with lookup), bool and uuid indexes: per value,
/// the live points of its posting list that pass the filter. Counts are exact (Qdrant may approximate when not asked
/// for exact counts; an exact answer is always a valid one).
/// </summary>
internal static class Facets
{
    public static bool Supports(PayloadFieldSchema schema) => schema.Type switch
    {
        PayloadSchemaType.Keyword or PayloadSchemaType.Bool or PayloadSchemaType.Uuid => true,
        PayloadSchemaType.Integer => schema.Params?.Lookup ?? true,
        _ => false,
    };

    public static FacetResponse Count(LocalShard shard, SegmentSet set, string key, FilterEvaluator? filter, int limit, CancellationToken ct)
    {
        var keywords = new Dictionary<string, long>(StringComparer.Ordinal);
        var integers = new Dictionary<long, long>();
        long trues = 0, falses = 0;
        bool isBool = false;
        foreach (var s in set.Segments)
        {
            var index = s.PayloadIndex.Find(key);
            if (index is null) continue;
            var matched = filter is null ? null : Matching(shard, s, filter, ct);
            switch (index)
            {
                case KeywordIndex k:
                    foreach (var (value, list) in k.Values) Add(keywords, value, Live(s, list.Snapshot(), matched));
                    break;
                case UuidIndex u:
                    foreach (var (value, list) in u.Values) Add(keywords, value.ToString("D"), Live(s, list.Snapshot(), matched));
                    break;
                case IntegerIndex i:
                    foreach (var (value, list) in i.Values) Add(integers, value, Live(s, list.Snapshot(), matched));
                    break;
                case BoolIndex b:
                    isBool = true;
                    trues += Live(s, b.True.Snapshot(), matched);
                    falses += Live(s, b.False.Snapshot(), matched);
                    break;
            }
        }
        var hits = new List<FacetHit>();
        foreach (var (v, c) in keywords) if (c > 0) hits.Add(new FacetHit(MatchScalar.Of(v), c));
        foreach (var (v, c) in integers) if (c > 0) hits.Add(new FacetHit(MatchScalar.Of(v), c));
        if (isBool)
        {
            if (trues > 0) hits.Add(new FacetHit(MatchScalar.Of(true), trues));
            if (falses > 0) hits.Add(new FacetHit(MatchScalar.Of(false), falses));
        }
        hits.Sort(static (a, b) =>
        {
            int c = b.Count.CompareTo(a.Count);
            if (c != 0) return c;
            return a.Value.Kind switch
            {
                MatchScalarKind.Keyword => string.CompareOrdinal(a.Value.Keyword, b.Value.Keyword),
                MatchScalarKind.Integer => a.Value.Integer.CompareTo(b.Value.Integer),
                _ => a.Value.Bool.CompareTo(b.Value.Bool),
            };
        });
        if (hits.Count > limit) hits.RemoveRange(limit, hits.Count - limit);
        return new FacetResponse(hits);
    }

    private static void Add<T>(Dictionary<T, long> counts, T value, long n) where T : notnull
    {
        if (n == 0) return;
        counts[value] = counts.GetValueOrDefault(value) + n;
    }

    private static long Live(Segment s, ArraySegment<uint> offsets, BitSet? matched)
    {
        long n = 0;
        foreach (uint off in offsets.AsSpan())
            if (!s.IsDeleted(off) && (matched is null || matched.Get((int)off))) n++;
        return n;
    }

    // The slots of one segment that pass the filter, found through the indexes when they narrow it down.
    private static BitSet Matching(LocalShard shard, Segment s, FilterEvaluator filter, CancellationToken ct)
    {
        int n = s.SlotCount;
        var bits = new BitSet(n);
        var candidates = LocalShard.PlanCandidates(s, filter, 1.0, out bool exact);
        int count = candidates?.Count ?? n;
        for (int i = 0; i < count; i++)
        {
            if ((i & 0x3FFF) == 0) ct.ThrowIfCancellationRequested();
            uint off = candidates is { } c ? c[i] : (uint)i;
            if (s.IsDeleted(off)) continue;
            if (exact || filter.Matches(new SegmentPoint(s, off, shard.Specs))) bits.Set((int)off);
        }
        return bits;
    }
}
