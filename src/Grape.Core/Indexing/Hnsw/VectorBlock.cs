using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The vectors a graph indexes: node n's vector at <c>Base + n × Dimension</c>, contiguous. It points into an immutable
/// segment's vector mapping (one exact-size file mapped as one piece), so the graph needs no copy of its own; the
/// segment owns the memory and outlives every search of its graph.
/// </summary>
internal readonly unsafe struct VectorBlock
{
    public VectorBlock(float* @base, int dimension, int count)
    {
        Base = @base;
        Dimension = dimension;
        Count = count;
    }

    public float* Base { get; }
    public int Dimension { get; }
    public int Count { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float* Pointer(uint node) => Base + ((nint)node * Dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> Get(uint node) => new(Base + ((nint)node * Dimension), Dimension);

    /// <summary>Asks for the first <paramref name="lines"/> cache lines of a node's vector; the hardware prefetcher
    /// follows the rest of a long vector once it sees the stream start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint node, int lines)
    {
        if (!Sse.IsSupported) return;
        byte* p = (byte*)(Base + ((nint)node * Dimension));
        for (int i = 0; i < lines; i++) Sse.Prefetch0(p + (i * 64));
    }
}
