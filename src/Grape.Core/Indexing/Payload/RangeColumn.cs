using System.Numerics;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// (value, slot) pairs for range queries. Pairs are appended in slot order by one writer (published like a
/// <see cref="PostingList"/>); readers binary-search a value-sorted snapshot and scan only the few pairs appended
/// since it was made. The snapshot is rebuilt when that tail grows past an eighth of it, so sorting costs
/// O(log n) amortized per pair.
/// </summary>
internal sealed class RangeColumn<T> where T : unmanaged, INumber<T>
{
    private readonly record struct Entry(T Value, uint Offset);

    private sealed record Sorted(T[] Values, uint[] Offsets, int Covered);

    private readonly Lock _sortLock = new();
    private Entry[] _entries = new Entry[16];
    private int _count;
    private Sorted? _sorted;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Writer: appends a pair; slots arrive in ascending order.</summary>
    public void Add(T value, uint offset)
    {
        int c = _count;
        var items = _entries;
        if (c == items.Length)
        {
            var grown = new Entry[c * 2];
            items.AsSpan(0, c).CopyTo(grown);
            grown[c] = new Entry(value, offset);
            Volatile.Write(ref _entries, grown);
        }
        else
        {
            items[c] = new Entry(value, offset);
        }
        Volatile.Write(ref _count, c + 1);
    }

    /// <summary>Adds to <paramref name="hits"/> the slots of every value within the bounds (null = open).</summary>
    public void Query(T? gt, T? gte, T? lt, T? lte, IndexHits hits)
    {
        int c = Count;
        var entries = Volatile.Read(ref _entries);
        var sorted = Volatile.Read(ref _sorted);
        if (sorted is null || c - sorted.Covered > Math.Max(256, sorted.Covered / 8)) sorted = Resort(c);

        var values = sorted.Values;
        int lo = 0, hi = sorted.Covered;
        // First value meeting the lower bounds, then first one past the upper bounds: both predicates are monotonic.
        int a = lo, b = hi;
        while (a < b) { int m = (a + b) >>> 1; if (Lower(values[m], gt, gte)) b = m; else a = m + 1; }
        lo = a;
        a = lo; b = hi;
        while (a < b) { int m = (a + b) >>> 1; if (!Upper(values[m], lt, lte)) b = m; else a = m + 1; }
        hi = a;
        hits.Add(new ArraySegment<uint>(sorted.Offsets, lo, hi - lo));

        List<uint>? tail = null;
        for (int i = sorted.Covered; i < c; i++)
        {
            var e = entries[i];
            if (Lower(e.Value, gt, gte) && Upper(e.Value, lt, lte)) (tail ??= []).Add(e.Offset);
        }
        if (tail is not null) hits.Add(new ArraySegment<uint>([.. tail]));
    }

    /// <summary>Every (value, slot) pair added so far, sorted by value (for building value-range blocks).</summary>
    public (T[] Values, uint[] Offsets, int Count) SortedSnapshot()
    {
        int c = Count;
        var sorted = Volatile.Read(ref _sorted);
        if (sorted is null || sorted.Covered < c) sorted = Resort(c);
        return (sorted.Values, sorted.Offsets, sorted.Covered);
    }

    private static bool Lower(T v, T? gt, T? gte) => (gt is not T g || v > g) && (gte is not T ge || v >= ge);

    private static bool Upper(T v, T? lt, T? lte) => (lt is not T l || v < l) && (lte is not T le || v <= le);

    private Sorted Resort(int count)
    {
        lock (_sortLock)
        {
            var current = _sorted;
            if (current is not null && current.Covered >= count) return current;
            var entries = Volatile.Read(ref _entries);
            var values = new T[count];
            var offsets = new uint[count];
            for (int i = 0; i < count; i++) { values[i] = entries[i].Value; offsets[i] = entries[i].Offset; }
            Array.Sort(values, offsets);
            var next = new Sorted(values, offsets, count);
            Volatile.Write(ref _sorted, next);
            return next;
        }
    }

    /// <summary>Writes the pairs of slots below <paramref name="limit"/>, in slot order.</summary>
    public void Write(BinaryWriter w, uint limit, Action<BinaryWriter, T> writeValue)
    {
        int c = Count;
        var entries = Volatile.Read(ref _entries);
        int n = 0;
        while (n < c && entries[n].Offset < limit) n++;
        w.Write(n);
        for (int i = 0; i < n; i++) { w.Write(entries[i].Offset); writeValue(w, entries[i].Value); }
    }

    public void Read(BinaryReader r, Func<BinaryReader, T> readValue)
    {
        int n = r.ReadInt32();
        for (int i = 0; i < n; i++)
        {
            uint off = r.ReadUInt32();
            Add(readValue(r), off);
        }
    }
}
