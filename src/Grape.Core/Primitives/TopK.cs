using System.Buffers;
using System.Runtime.CompilerServices;

namespace Grape.Core.Primitives;

/// <summary>
/// The k best <see cref="ScoredOffset"/>s seen so far: a binary min-heap whose root is the weakest kept item, over an
/// array rented from the pool. "Better" means a higher score, and on equal scores a lower offset, so results do not
/// depend on scan order. NaN scores are never kept. A mutable struct: pass it by <c>ref</c>, never copy it, and
/// <see cref="Dispose"/> it once (returns the array).
/// </summary>
internal struct TopK : IDisposable
{
    private ScoredOffset[]? _heap;
    private int _count;

    /// <summary>Rents room for <paramref name="k"/> items; k = 0 keeps nothing.</summary>
    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        Capacity = k;
        _heap = ArrayPool<ScoredOffset>.Shared.Rent(k);
        _count = 0;
    }

    /// <summary>k: how many items are kept at most.</summary>
    public int Capacity { get; }

    /// <summary>How many items are kept now (≤ <see cref="Capacity"/>).</summary>
    public readonly int Count => _count;

    /// <summary>
    /// A candidate scoring below this cannot enter (−∞ until k items are kept, then the weakest kept score; +∞ when
    /// k = 0). One scoring exactly this enters only with a lower offset than the weakest, so scans may skip
    /// <c>score &lt; Threshold</c> early but not <c>score ≤ Threshold</c>.
    /// </summary>
    public readonly float Threshold =>
        _count < Capacity ? float.NegativeInfinity : Capacity == 0 ? float.PositiveInfinity : _heap![0].Score;

    /// <summary>Keeps (offset, score) if it is among the k best so far. No allocation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Offer(uint offset, float score)
    {
        if (_count < Capacity)
        {
            if (float.IsNaN(score))
            {
                return;
            }
            _heap![_count] = new ScoredOffset(offset, score);
            SiftUp(_count++);
        }
        else if (Capacity != 0)
        {
            // NaN fails both comparisons, so it never replaces the root.
            ref ScoredOffset root = ref _heap![0];
            if (score > root.Score || (score == root.Score && offset < root.Offset))
            {
                root = new ScoredOffset(offset, score);
                SiftDown(0);
            }
        }
    }

    /// <summary>
    /// Writes the kept items best-first into <paramref name="destination"/> (which must hold <see cref="Count"/>) and
    /// returns how many were written. The heap is left as it was, so offering may go on.
    /// </summary>
    public readonly int CopySortedTo(Span<ScoredOffset> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, _count, nameof(destination));
        Span<ScoredOffset> items = destination[.._count];
        _heap.AsSpan(0, _count).CopyTo(items);
        items.Sort(default(BestFirst));
        return _count;
    }

    /// <summary>Forgets every kept item; the rented array stays.</summary>
    public void Clear() => _count = 0;

    /// <summary>Returns the array to the pool; further use is a bug.</summary>
    public void Dispose()
    {
        if (_heap is not null)
        {
            ArrayPool<ScoredOffset>.Shared.Return(_heap);
        }
        _heap = null;
        _count = 0;
    }

    /// <summary>True when <paramref name="x"/> ranks strictly before <paramref name="y"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsBetter(in ScoredOffset x, in ScoredOffset y) =>
        x.Score > y.Score || (x.Score == y.Score && x.Offset < y.Offset);

    private readonly void SiftUp(int index)
    {
        ScoredOffset[] heap = _heap!;
        ScoredOffset item = heap[index];
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            if (!IsBetter(heap[parent], item))
            {
                break; // parent is weaker or equal: the min-heap order holds
            }
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = item;
    }

    private readonly void SiftDown(int index)
    {
        ScoredOffset[] heap = _heap!;
        int count = _count;
        ScoredOffset item = heap[index];
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= count)
            {
                break;
            }
            if (child + 1 < count && IsBetter(heap[child], heap[child + 1]))
            {
                child++; // descend toward the weaker child
            }
            if (!IsBetter(item, heap[child]))
            {
                break;
            }
            heap[index] = heap[child];
            index = child;
        }
        heap[index] = item;
    }

    private readonly struct BestFirst : IComparer<ScoredOffset>
    {
        public int Compare(ScoredOffset x, ScoredOffset y) => IsBetter(x, y) ? -1 : IsBetter(y, x) ? 1 : 0;
    }
}
