using System.Runtime.CompilerServices;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The result set of a layer search: a binary max-heap on distance (the root is the worst kept), bounded by the caller
/// (push, then pop when over ef). Reusable array, grown by doubling. A mutable struct: pass it by ref.
/// </summary>
internal struct FarthestFirstHeap
{
    private NodeDistance[] _items;
    private int _count;

    public FarthestFirstHeap(NodeDistance[] storage)
    {
        _items = storage;
        _count = 0;
    }

    public readonly int Count => _count;

    public readonly NodeDistance[] Storage => _items;

    /// <summary>The farthest kept item.</summary>
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
            if (items[parent].Distance >= distance) break;
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
                if (child + 1 < n && items[child + 1].Distance > items[child].Distance) child++;
                if (last.Distance >= items[child].Distance) break;
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
        }
        return top;
    }

    /// <summary>Empties the heap into <paramref name="destination"/> nearest first; returns the count.</summary>
    public int DrainNearestFirst(Span<NodeDistance> destination)
    {
        int n = _count;
        for (int i = n - 1; i >= 0; i--) destination[i] = Pop();
        return n;
    }
}
