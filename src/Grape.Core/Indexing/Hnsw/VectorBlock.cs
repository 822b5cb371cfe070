using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The vectors a graph indexes: node n's vector at <c>Base + n × StrideBytes</c>, contiguous, in the column's stored form
/// (float32, float16 or uint8 components; the <see cref="Distances.IStoredSimilarity"/> the graph is searched with knows
/// which). It points into an immutable segment's vector mapping (one exact-size file mapped as one piece), so the graph
/// needs no copy of its own; the segment owns the memory and outlives every search of its graph.
/// </summary>
internal readonly unsafe struct VectorBlock
{
    public VectorBlock(byte* @base, int dimension, int strideBytes, int count)
    {
        Base = @base;
        Dimension = dimension;
        StrideBytes = strideBytes;
        Count = count;
    }

    /// <summary>A block of float32 vectors.</summary>
    public VectorBlock(float* @base, int dimension, int count)
        : this((byte*)@base, dimension, dimension * sizeof(float), count)
    {
    }

    public byte* Base { get; }
    public int Dimension { get; }

    /// <summary>Bytes of one vector (dimension × element bytes).</summary>
    public int StrideBytes { get; }

    public int Count { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte* Pointer(uint node) => Base + ((nint)node * StrideBytes);

    /// <summary>A node's vector in a float32 block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> Get(uint node)
    {
        System.Diagnostics.Debug.Assert(StrideBytes == Dimension * sizeof(float), "Only a float32 block reads as floats");
        return new ReadOnlySpan<float>(Base + ((nint)node * StrideBytes), Dimension);
    }

    /// <summary>Asks for the first <paramref name="lines"/> cache lines of a node's vector; the hardware prefetcher
    /// follows the rest of a long vector once it sees the stream start.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint node, int lines)
    {
        if (!Sse.IsSupported) return;
        byte* p = Base + ((nint)node * StrideBytes);
        for (int i = 0; i < lines; i++) Sse.Prefetch0(p + (i * 64));
    }
}
