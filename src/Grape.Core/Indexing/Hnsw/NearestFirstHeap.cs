using System.Runtime.CompilerServices;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The candidate queue of a layer search: a binary min-heap on distance over a reusable array (grown by doubling, never
/// shrunk), so a search allocates nothing once its thread has warmed up. A mutable struct: pass it by ref.
/// </summary>
internal struct NearestFirstHeap
{
    private NodeDistance[] _items;
    private int _count;

    public NearestFirstHeap(NodeDistance[] storage)
    {
        _items = storage;
        _count = 0;
    }

    public readonly int Count => _count;

    /// <summary>The backing array (it may have grown), to keep for the next search.</summary>
    public readonly NodeDistance[] Storage => _items;

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
            if (items[parent].Distance <= distance) break;
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
                if (child + 1 < n && items[child + 1].Distance < items[child].Distance) child++;
                if (last.Distance <= items[child].Distance) break;
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
        }
        return top;
    }
}
