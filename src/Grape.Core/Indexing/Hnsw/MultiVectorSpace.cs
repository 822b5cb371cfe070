using System.Runtime.CompilerServices;
using Grape.Core.Distances;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The build space of a multivector column (Qdrant's multivector HNSW): nodes are scored with max_sim, the inserted
/// node's sub-vectors being the query (max_sim is not symmetric: a node's neighbours are those its own rows find best).
/// The query handle is the node id.
/// </summary>
internal readonly unsafe struct MultiVectorSpace<TSim>(MultiVectorBlock vectors) : IHnswBuildSpace
    where TSim : struct, IStoredSimilarity
{
    private readonly MultiVectorBlock _vectors = vectors;

    public int Count => _vectors.Count;

    /// <summary>max_sim sums over the query's rows: a to b is not b to a.</summary>
    public static bool Symmetric => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public nint QueryOf(uint node) => (nint)node;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Similarity(nint query, uint node) =>
        _vectors.MaxSim<TSim>((byte*)_vectors.Starts[query], _vectors.Rows[query], node);

    public void Similarities(nint query, ReadOnlySpan<uint> nodes, Span<float> result)
    {
        byte* q = (byte*)_vectors.Starts[query];
        int rows = _vectors.Rows[query];
        for (int i = 0; i < nodes.Length; i++) result[i] = _vectors.MaxSim<TSim>(q, rows, nodes[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint node) => _vectors.Prefetch(node, 2);
}
