using System.Runtime.CompilerServices;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>Which of two distances sits nearer the root of a <see cref="DistanceHeap{TOrder}"/>.</summary>
internal interface IHeapOrder
{
    static abstract bool Above(float a, float b);
}

/// <summary>A min-heap: the candidate queue of a layer search (the root is the nearest candidate).</summary>
internal readonly struct NearestFirst : IHeapOrder
{
    public static bool Above(float a, float b) => a < b;
}

/// <summary>A max-heap: the result set of a layer search, bounded by the caller (push, then pop when over ef; the root
/// is the worst kept).</summary>
internal readonly struct FarthestFirst : IHeapOrder
{
    public static bool Above(float a, float b) => a > b;
}

/// <summary>
/// A binary heap of (distance, node) over a reusable array, grown by doubling and never shrunk, so a search allocates
/// nothing once its thread has warmed up. <typeparamref name="TOrder"/> is a struct, so the JIT compiles one
/// specialised heap per order with the comparison inlined. A mutable struct: pass it by ref.
/// </summary>
internal struct DistanceHeap<TOrder>
    where TOrder : struct, IHeapOrder
{
    private NodeDistance[] _items;
    private int _count;

    public DistanceHeap(NodeDistance[] storage)
    {
        _items = storage;
        _count = 0;
    }

    public readonly int Count => _count;

    /// <summary>The backing array (it may have grown), to keep for the next search.</summary>
    public readonly NodeDistance[] Storage => _items;

    /// <summary>The root: the nearest item of a <see cref="NearestFirst"/> heap, the farthest of a <see cref="FarthestFirst"/> one.</summary>
    public readonly NodeDistance Top => _items[0];

    public void Clear() => _count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float distance, uint node)
    {
        if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        NodeDistance[] items = _items;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!TOrder.Above(distance, items[parent].Distance)) break;
            items[i] = items[parent];
            i = parent;
        }
        items[i] = new NodeDistance(distance, node);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public NodeDistance Pop()
    {
        NodeDistance[] items = _items;
        NodeDistance top = items[0];
        int n = --_count;
        if (n > 0)
        {
            NodeDistance last = items[n];
            int i = 0;
            while (true)
            {
                int child = (2 * i) + 1;
                if (child >= n) break;
                if (child + 1 < n && TOrder.Above(items[child + 1].Distance, items[child].Distance)) child++;
                if (!TOrder.Above(items[child].Distance, last.Distance)) break;
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
        }
        return top;
    }

    /// <summary>Empties the heap into <paramref name="destination"/> in the reverse of its pop order (nearest first for a
    /// <see cref="FarthestFirst"/> heap); returns the count.</summary>
    public int DrainReversed(Span<NodeDistance> destination)
    {
        int n = _count;
        for (int i = n - 1; i >= 0; i--) destination[i] = Pop();
        return n;
    }
}
