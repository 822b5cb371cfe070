using System.Runtime.CompilerServices;
using Grape.Core.Distances;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>The build space of a fixed-stride column: <see cref="VectorBlock"/> scored with <typeparamref name="TSim"/>
/// (the query handle is the inserted node's vector address).</summary>
internal readonly unsafe struct VectorBlockSpace<TSim>(VectorBlock vectors) : IHnswBuildSpace
    where TSim : struct, IStoredSimilarity
{
    private readonly VectorBlock _vectors = vectors;

    public int Count => _vectors.Count;

    /// <summary>Dot products and squared or absolute differences summed in the same order either way.</summary>
    public static bool Symmetric => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public nint QueryOf(uint node) => (nint)_vectors.Pointer(node);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Similarity(nint query, uint node) => TSim.Similarity((byte*)query, _vectors.Pointer(node), _vectors.Dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Similarities(nint query, ReadOnlySpan<uint> nodes, Span<float> result) =>
        TSim.Similarities((byte*)query, _vectors.Base, _vectors.StrideBytes, _vectors.Dimension, nodes, result);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint node) => _vectors.Prefetch(node, 1);
}
