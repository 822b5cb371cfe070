using System.Buffers;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Filtering.Planning;

/// <summary>
/// A filter's matches in one segment as a bit per slot, computed from the payload indexes alone, when every condition
/// of the tree is answered exactly by an index (keyword/integer/… <c>match</c> and <c>range</c> at the top level,
/// <c>has_id</c>) and the clauses combine as sets: <c>must</c> intersects, <c>should</c> and <c>min_should</c> with
/// <c>min_count</c> 1 unite, <c>must_not</c> subtracts. A tree with any other condition (no index, <c>nested</c>,
/// <c>is_empty</c>, <c>min_count</c> &gt; 1, …) gives null and is checked point by point as before. Bits of deleted slots
/// are unspecified: readers check deletion themselves. Arrays are rented from the shared pool; the caller returns them.
/// </summary>
internal static class FilterBitset
{
    /// <summary>The matches of <paramref name="filter"/> in <paramref name="segment"/>, or null.</summary>
    public static ulong[]? TryBuild(Filter filter, Segment segment)
    {
        if (!Answerable(filter, segment)) return null;
        int words = (Math.Max(1, segment.SlotCount) + 63) >> 6;
        return BuildFilter(filter, segment, words);
    }

    /// <summary>Whether every condition of the tree is answered exactly by an index (checked before any bit is set).</summary>
    private static bool Answerable(Filter filter, Segment segment)
    {
        if (filter.MinShould is { MinCount: > 1 }) return false;
        return All(filter.Must, segment) && All(filter.Should, segment) && All(filter.MinShould?.Conditions, segment) && All(filter.MustNot, segment);
    }

    private static bool All(IReadOnlyList<Condition>? conditions, Segment segment)
    {
        if (conditions is null) return true;
        foreach (var c in conditions)
        {
            bool ok = c switch
            {
                FieldCondition f => segment.PayloadIndex.Find(f.Key) is { } index && index.Query(f) is { Exact: true },
                HasIdCondition h => h.Ids is not null,
                FilterCondition fc => fc.Filter is not null && Answerable(fc.Filter, segment),
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    public static void Return(ulong[] bits) => ArrayPool<ulong>.Shared.Return(bits);

    private static ulong[]? BuildFilter(Filter filter, Segment segment, int words)
    {
        ulong[] acc = Rent(words, ~0UL);
        try
        {
            if (filter.Must is { } must)
                foreach (var c in must)
                    if (!Combine(acc, c, segment, words, Op.And)) return Fail(acc);
            if (filter.Should is { Count: > 0 } should && !Union(acc, should, segment, words)) return Fail(acc);
            if (filter.MinShould is { } ms)
            {
                if (ms.MinCount > 1 || !Union(acc, ms.Conditions, segment, words)) return Fail(acc);
            }
            if (filter.MustNot is { } mustNot)
                foreach (var c in mustNot)
                    if (!Combine(acc, c, segment, words, Op.AndNot)) return Fail(acc);
            return acc;
        }
        catch
        {
            Return(acc);
            throw;
        }
    }

    private static ulong[]? Fail(ulong[] acc)
    {
        Return(acc);
        return null;
    }

    /// <summary>acc ∩= (union of the conditions); an empty list unites nothing (no match), as the evaluator's min_should.</summary>
    private static bool Union(ulong[] acc, IReadOnlyList<Condition> conditions, Segment segment, int words)
    {
        ulong[] any = Rent(words, 0);
        try
        {
            foreach (var c in conditions)
                if (!Combine(any, c, segment, words, Op.Or)) return false;
            for (int i = 0; i < words; i++) acc[i] &= any[i];
            return true;
        }
        finally
        {
            Return(any);
        }
    }

    private enum Op { And, AndNot, Or }

    private static bool Combine(ulong[] acc, Condition condition, Segment segment, int words, Op op)
    {
        ulong[]? bits = BuildCondition(condition, segment, words);
        if (bits is null) return false;
        Span<ulong> a = acc.AsSpan(0, words);
        ReadOnlySpan<ulong> b = bits.AsSpan(0, words);
        switch (op)
        {
            case Op.And: for (int i = 0; i < a.Length; i++) a[i] &= b[i]; break;
            case Op.AndNot: for (int i = 0; i < a.Length; i++) a[i] &= ~b[i]; break;
            default: for (int i = 0; i < a.Length; i++) a[i] |= b[i]; break;
        }
        Return(bits);
        return true;
    }

    private static ulong[]? BuildCondition(Condition condition, Segment segment, int words)
    {
        switch (condition)
        {
            case FieldCondition f:
            {
                if (segment.PayloadIndex.Find(f.Key) is not { } index || index.Query(f) is not { Exact: true } hits) return null;
                ulong[] bits = Rent(words, 0);
                foreach (ArraySegment<uint> part in hits.Parts) Set(bits, part, words);
                return bits;
            }
            case HasIdCondition h when h.Ids is not null:
            {
                ulong[] bits = Rent(words, 0);
                foreach (var id in h.Ids)
                    if (segment.TryGetOffset(id, out uint off) && (off >> 6) < (uint)words) bits[off >> 6] |= 1UL << (int)off;
                return bits;
            }
            case FilterCondition fc when fc.Filter is not null:
                return BuildFilter(fc.Filter, segment, words);
            default:
                return null;
        }
    }

    private static void Set(ulong[] bits, ArraySegment<uint> part, int words)
    {
        foreach (uint off in part.AsSpan())
            if ((off >> 6) < (uint)words) bits[off >> 6] |= 1UL << (int)off;
    }

    private static ulong[] Rent(int words, ulong fill)
    {
        ulong[] bits = ArrayPool<ulong>.Shared.Rent(words);
        bits.AsSpan(0, words).Fill(fill);
        return bits;
    }
}
