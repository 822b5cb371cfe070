using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Grape.Core.Storage;
using Grape.Core.Storage.Mmap;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The links of an HNSW graph over nodes 0..NodeCount-1 (node = segment slot), laid out for the search loop:
/// <list type="bullet">
/// <item>Level 0, where a search spends nearly all its time: one flat block of <c>NodeCount × (1 + M0)</c> uints, node n
/// at <c>n × (1 + M0)</c>: the neighbour count, then M0 neighbour slots. One address computation and one cache line (two
/// at most) per expanded node. Held in native memory (2 MiB aligned, transparent huge pages asked for: fewer TLB misses
/// on random hops) or, for <c>on_disk</c>, read straight from the memory-mapped file.</item>
/// <item>Upper levels (about 1/M of the nodes): managed arrays; node n's level l ≥ 1 list is the (l−1)-th block of
/// <c>1 + M</c> uints from <see cref="UpperOffset"/>(n), or absent when its level is 0.</item>
/// </list>
/// Node levels, the entry point and the top level complete it. A node without a vector (a slot that lacks this named
/// vector) is simply never linked. Immutable once built; any number of threads search it without locks.
/// </summary>
internal sealed unsafe partial class HnswGraph : IDisposable
{
    private const nuint HugePage = 2 << 20;

    private readonly byte[] _levels;
    private readonly int[] _upperOffsets;
    private readonly uint[] _upper;
    private void* _native;        // level 0 in native memory (built or loaded), or null
    private MappedView? _view;    // level 0 in the mapped file (on_disk), or null
    private FileStream? _file;    // kept open while mapped
    private uint* _level0;

    private HnswGraph(int m, int m0, byte[] levels, int[] upperOffsets, uint[] upper)
    {
        M = m;
        M0 = m0;
        Level0Stride = 1 + m0;
        UpperStride = 1 + m;
        NodeCount = levels.Length;
        _levels = levels;
        _upperOffsets = upperOffsets;
        _upper = upper;
        MaxLevel = -1;
    }

    public int NodeCount { get; }

    /// <summary>Neighbours per node on levels ≥ 1.</summary>
    public int M { get; }

    /// <summary>Neighbours per node on level 0 (2M, as in the HNSW paper and hnswlib).</summary>
    public int M0 { get; }

    /// <summary>uints per node on level 0: the count and M0 slots.</summary>
    public int Level0Stride { get; }

    /// <summary>uints per node and upper level: the count and M slots.</summary>
    public int UpperStride { get; }

    public uint EntryPoint { get; internal set; }

    /// <summary>The entry point's level; −1 for an empty graph.</summary>
    public int MaxLevel { get; internal set; }

    /// <summary>Nodes linked into the graph (those that had a vector).</summary>
    public int LinkedCount { get; internal set; }

    /// <summary>Whether level 0 is read through the file mapping.</summary>
    public bool IsMapped => _view is not null;

    public uint* Level0 => _level0;

    internal ReadOnlySpan<byte> Levels => _levels;

    internal uint[] Upper => _upper;

    /// <summary>A new graph with every list empty, levels fixed in advance (the builder draws them).</summary>
    internal static HnswGraph Allocate(int m, byte[] levels)
    {
        int m0 = 2 * m;
        var offsets = new int[levels.Length];
        long upperCount = 0;
        for (int n = 0; n < levels.Length; n++)
        {
            if (levels[n] == 0)
            {
                offsets[n] = -1;
                continue;
            }
            offsets[n] = (int)upperCount;
            upperCount += (long)levels[n] * (1 + m);
        }
        if (upperCount > Array.MaxLength) throw new InvalidOperationException("Upper HNSW levels too large");
        var graph = new HnswGraph(m, m0, levels, offsets, new uint[upperCount]);
        nuint bytes = (nuint)levels.Length * (nuint)(1 + m0) * sizeof(uint);
        graph._native = AllocateLevel0(bytes);
        NativeMemory.Clear(graph._native, bytes);
        graph._level0 = (uint*)graph._native;
        return graph;
    }

    /// <summary>The level-0 list of a node: [count, neighbours...].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint* Links0(uint node) => _level0 + ((nint)node * Level0Stride);

    public int LevelOf(uint node) => _levels[node];

    /// <summary>Where node's level-1 list starts in <see cref="Upper"/>, or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int UpperOffset(uint node) => _upperOffsets[node];

    /// <summary>The list of a node at <paramref name="level"/> as [count, neighbours...]; level 0 included.</summary>
    public Span<uint> Links(uint node, int level) => level == 0
        ? new Span<uint>(Links0(node), Level0Stride)
        : _upper.AsSpan(_upperOffsets[node] + ((level - 1) * UpperStride), UpperStride);

    /// <summary>
    /// Marks everything reachable on level 0 from <paramref name="start"/> (itself included) that is not marked yet,
    /// breadth first; <paramref name="queue"/> is scratch, left empty. The build's healing pass marks component after
    /// component into one array.
    /// </summary>
    public int MarkReachableOnLevel0(uint start, bool[] reached, Queue<uint> queue)
    {
        if (reached[start]) return 0;
        reached[start] = true;
        queue.Enqueue(start);
        int marked = 1;
        while (queue.Count > 0)
        {
            uint* list = Links0(queue.Dequeue());
            int count = (int)list[0];
            for (int j = 1; j <= count; j++)
            {
                uint nb = list[j];
                if (reached[nb]) continue;
                reached[nb] = true;
                marked++;
                queue.Enqueue(nb);
            }
        }
        return marked;
    }

    /// <summary>Nodes the entry point reaches on level 0 (every linked node, after a build: the healing pass's invariant).</summary>
    public int ReachableOnLevel0() => MaxLevel < 0 ? 0 : MarkReachableOnLevel0(EntryPoint, new bool[NodeCount], new Queue<uint>());

    /// <summary>Bytes held in memory (level 0 unless mapped, and the upper levels).</summary>
    public long MemoryBytes => (_view is null ? (long)NodeCount * Level0Stride * sizeof(uint) : 0)
        + _levels.Length + (_upperOffsets.Length * 4L) + (_upper.Length * 4L);

    public void Dispose()
    {
        if (_native is not null)
        {
            NativeMemory.AlignedFree(_native);
            _native = null;
        }
        _view?.Dispose();
        _view = null;
        _file?.Dispose();
        _file = null;
        _level0 = null;
    }

    private static void* AllocateLevel0(nuint bytes)
    {
        nuint size = Math.Max(bytes, 1);
        void* p = NativeMemory.AlignedAlloc(size, HugePage);
        if (OperatingSystem.IsLinux() && size >= HugePage)
        {
            _ = Posix.Madvise(p, size, Posix.MADV_HUGEPAGE); // advice only: without it the graph still works on 4 KiB pages
        }
        return p;
    }
}
