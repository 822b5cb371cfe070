using System.Runtime.CompilerServices;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Which graph nodes a search has seen: one ushort tag per node, "visited" meaning tag == the current generation. A new
/// search bumps the generation instead of clearing (the array is wiped only when the generation wraps, once per 65,535
/// searches), so the cost of a search does not grow with the graph. One instance per thread, kept in a thread-static
/// and reused by every graph that thread searches (it grows to the largest); the array sits on the pinned heap so the
/// hot loop indexes it through a raw pointer and can prefetch entries.
/// </summary>
internal sealed unsafe class VisitedSet
{
    [ThreadStatic]
    private static VisitedSet? t_current;

    private ushort[] _tags = [];
    private ushort* _p;
    private ushort _generation;

    private VisitedSet()
    {
    }

    /// <summary>The calling thread's set, reset for a search over <paramref name="nodes"/> nodes. Not re-entrant: one
    /// search at a time per thread.</summary>
    public static VisitedSet Rent(int nodes)
    {
        VisitedSet set = t_current ??= new VisitedSet();
        set.Reset(nodes);
        return set;
    }

    /// <summary>The tag array: node n is visited when <c>Tags[n] == Generation</c>.</summary>
    public ushort* Tags => _p;

    public ushort Generation => _generation;

    /// <summary>Marks <paramref name="node"/>; true if it was not visited before.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Visit(uint node)
    {
        ref ushort tag = ref _p[node];
        if (tag == _generation) return false;
        tag = _generation;
        return true;
    }

    private void Reset(int nodes)
    {
        if (_tags.Length < nodes)
        {
            // Grow with headroom: segments of one collection differ a little in size.
            _tags = GC.AllocateArray<ushort>(Math.Max(nodes, nodes + (nodes >> 3)), pinned: true);
            _p = (ushort*)Unsafe.AsPointer(ref _tags[0]);
            _generation = 0;
        }
        if (++_generation == 0)
        {
            Array.Clear(_tags);
            _generation = 1;
        }
    }
}
