using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Filtering.Planning;

/// <summary>
/// Estimates a filter's cardinality in one segment from its payload indexes (Qdrant's <c>estimate_cardinality</c>
/// rules for must / should / must_not / min_should) and finds the primary conditions: indexed conditions whose
/// answers hold every match. Conditions without an index count as unknown (0 .. all). Keys inside <c>nested</c> are
/// looked up by their full path (<c>a[].b</c>), as an index on that path holds the values of every element.
/// </summary>
internal static class FilterPlanner
{
    public static CardinalityEstimation Estimate(Filter filter, Segment segment) =>
        EstimateFilter(filter, segment, Math.Max(1, segment.SlotCount), prefix: "");

    private static CardinalityEstimation EstimateFilter(Filter filter, Segment segment, long total, string prefix)
    {
        var parts = new List<CardinalityEstimation>();
        int conditions = 0;
        if (filter.Must is { } must)
            foreach (var c in must) { parts.Add(EstimateCondition(c, segment, total, prefix)); conditions++; }
        if (filter.Should is { Count: > 0 } should)
        {
            var items = should.Select(c => EstimateCondition(c, segment, total, prefix)).ToList();
            parts.Add(CombineShould(items, total));
            conditions += should.Count;
        }
        if (filter.MinShould is { Conditions.Count: > 0 } ms)
        {
            var items = ms.Conditions.Select(c => EstimateCondition(c, segment, total, prefix)).ToList();
            parts.Add(CombineMinShould(items, Math.Max(1, ms.MinCount), total));
            conditions += ms.Conditions.Count + (ms.MinCount == 1 ? 0 : 1);
        }
        if (filter.MustNot is { } mustNot)
            foreach (var c in mustNot) { parts.Add(Invert(EstimateCondition(c, segment, total, prefix), total)); conditions += 2; }
        if (parts.Count == 0) return CardinalityEstimation.All(total);
        var result = CombineMust(parts, total);
        // Only a filter that is one exact condition keeps its exactness.
        return conditions == 1 && parts.Count == 1 ? result : result with { Exact = false };
    }

    private static CardinalityEstimation EstimateCondition(Condition condition, Segment segment, long total, string prefix)
    {
        switch (condition)
        {
            case FieldCondition f:
            {
                if (segment.PayloadIndex.Find(prefix + f.Key) is not { } index || index.Query(f) is not { } hits)
                    return CardinalityEstimation.Unknown(total);
                long max = Math.Min(hits.Entries, total);
                // Exact answers hold each matching point at most MaxValuesPerPoint times, deleted slots included.
                long deleted = segment.SlotCount - segment.LivePointCount;
                long min = hits.Exact && prefix.Length == 0
                    ? Math.Clamp((hits.Entries + hits.MaxValuesPerPoint - 1) / hits.MaxValuesPerPoint - deleted, 0, max) : 0;
                return new CardinalityEstimation(min, max, max) { Primaries = [hits], Exact = hits.Exact && prefix.Length == 0 };
            }
            case HasIdCondition h when prefix.Length == 0 && h.Ids is not null:
            {
                var offsets = new List<uint>(Math.Min(h.Ids.Count, 1024));
                foreach (var id in h.Ids)
                    if (segment.TryGetOffset(id, out uint off)) offsets.Add(off);
                offsets.Sort();
                var hits = new IndexHits { Exact = true };
                hits.Add(new ArraySegment<uint>([.. offsets]));
                return new CardinalityEstimation(0, offsets.Count, offsets.Count) { Primaries = [hits], Exact = true };
            }
            case NestedCondition n when n.Filter is not null:
            {
                var inner = EstimateFilter(n.Filter, segment, total, prefix + JsonPath.Parse(n.Key).ArrayKey().Text + ".");
                return inner with { Min = 0, Exact = false };
            }
            case FilterCondition fc when fc.Filter is not null:
                return EstimateFilter(fc.Filter, segment, total, prefix);
            default:
                return CardinalityEstimation.Unknown(total);
        }
    }

    internal static CardinalityEstimation CombineMust(List<CardinalityEstimation> parts, long total)
    {
        if (parts.Count == 1) return parts[0];
        long minSum = 0, max = total;
        double expRatio = 1;
        CardinalityEstimation? best = null;
        foreach (var p in parts)
        {
            minSum += p.Min;
            max = Math.Min(max, p.Max);
            expRatio *= (double)p.Exp / total;
            if (p.Primaries is not null && (best is null || p.PrimaryEntries < best.PrimaryEntries)) best = p;
        }
        long min = Math.Max(0, minSum - (parts.Count - 1) * total);
        long exp = Math.Clamp((long)Math.Round(expRatio * total), min, max);
        return new CardinalityEstimation(Math.Min(min, max), exp, max) { Primaries = best?.Primaries, Exact = best?.Exact ?? false };
    }

    private static CardinalityEstimation CombineShould(List<CardinalityEstimation> items, long total)
    {
        if (items.Count == 1) return items[0];
        long min = 0, sumMax = 0;
        double missRatio = 1;
        bool allPrimary = true;
        foreach (var e in items)
        {
            min = Math.Max(min, e.Min);
            sumMax += e.Max;
            missRatio *= 1 - (double)e.Exp / total;
            allPrimary &= e.Primaries is not null;
        }
        long max = Math.Min(total, sumMax);
        long exp = Math.Clamp((long)Math.Round((1 - missRatio) * total), min, max);
        return new CardinalityEstimation(min, exp, max) { Primaries = allPrimary ? [.. items.SelectMany(i => i.Primaries!)] : null };
    }

    // A point passing min_should passes at least one of its conditions, and is counted min_count times in the sum.
    private static CardinalityEstimation CombineMinShould(List<CardinalityEstimation> items, int minCount, long total)
    {
        if (minCount == 1) return CombineShould(items, total);
        long sumMax = 0;
        foreach (var e in items) sumMax += e.Max;
        long max = Math.Min(total, sumMax / minCount);
        var should = CombineShould(items, total);
        return new CardinalityEstimation(0, Math.Min(should.Exp, max), max) { Primaries = should.Primaries };
    }

    private static CardinalityEstimation Invert(CardinalityEstimation e, long total) =>
        new(Math.Max(0, total - e.Max), Math.Max(0, total - e.Exp), Math.Max(0, total - e.Min));

    /// <summary>The distinct candidate slots of the primaries, ascending (deleted slots included); with
    /// <paramref name="anyOrder"/>, a single part without repeated slots (a range slice) is returned as it is.</summary>
    public static ArraySegment<uint> Candidates(CardinalityEstimation estimation, bool anyOrder = false)
    {
        var primaries = estimation.Primaries ?? throw new InvalidOperationException("No primary conditions to iterate");
        if (primaries.Count == 1 && primaries[0] is { Parts.Count: <= 1 } single && (single.PartsSorted || (anyOrder && single.MaxValuesPerPoint == 1)))
            return single.Parts.Count == 0 ? ArraySegment<uint>.Empty : single.Parts[0];
        long entries = estimation.PrimaryEntries;
        if (entries == 0) return ArraySegment<uint>.Empty;
        var all = new uint[entries];
        int n = 0;
        foreach (var hits in primaries)
            foreach (var part in hits.Parts) { part.AsSpan().CopyTo(all.AsSpan(n)); n += part.Count; }
        Array.Sort(all, 0, n);
        int unique = 0;
        for (int i = 0; i < n; i++)
            if (unique == 0 || all[unique - 1] != all[i]) all[unique++] = all[i];
        return new ArraySegment<uint>(all, 0, unique);
    }
}
