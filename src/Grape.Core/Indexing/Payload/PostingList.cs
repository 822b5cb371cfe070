namespace Grape.Core.Indexing.Payload;

/// <summary>
/// Ascending slot offsets of one indexed value. One writer appends (slots only grow, so order is free) while any
/// number of readers take snapshots without a lock: the writer publishes a grown array before the count, and
/// readers read the count before the array, so a snapshot never reaches past its array.
/// </summary>
internal sealed class PostingList
{
    private uint[] _items;
    private int _count;

    public PostingList(int capacity = 2) => _items = new uint[Math.Max(1, capacity)];

    private PostingList(uint[] items, int count) { _items = items; _count = count; }

    public static PostingList FromSorted(uint[] items) => new(items.Length == 0 ? new uint[1] : items, items.Length);

    public int Count => Volatile.Read(ref _count);

    /// <summary>Writer: appends <paramref name="offset"/> unless it is already the last one (a point with a value twice).</summary>
    public bool Add(uint offset)
    {
        int c = _count;
        var items = _items;
        if (c > 0 && items[c - 1] >= offset) return false;
        if (c == items.Length)
        {
            var grown = new uint[c * 2];
            items.AsSpan(0, c).CopyTo(grown);
            grown[c] = offset;
            Volatile.Write(ref _items, grown);
        }
        else
        {
            items[c] = offset;
        }
        Volatile.Write(ref _count, c + 1);
        return true;
    }

    /// <summary>The offsets published so far.</summary>
    public ArraySegment<uint> Snapshot()
    {
        int c = Volatile.Read(ref _count);
        return new ArraySegment<uint>(Volatile.Read(ref _items), 0, c);
    }

    /// <summary>The offsets below <paramref name="limit"/> (what a flush at that slot count covers).</summary>
    public ReadOnlySpan<uint> Below(uint limit)
    {
        var s = Snapshot().AsSpan();
        int n = s.BinarySearch(limit);
        return s[..(n >= 0 ? n : ~n)];
    }
}
