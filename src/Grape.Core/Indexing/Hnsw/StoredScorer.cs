using System.Runtime.CompilerServices;
using Grape.Core.Distances;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Scores the nodes of a float16 or uint8 column with <typeparamref name="TSim"/> against a query already in the
/// column's stored form (distance = −similarity, so scores equal an exact scan's). The query pointer must stay pinned
/// for the search.
/// </summary>
internal readonly unsafe struct StoredScorer<TSim>(byte* query, VectorBlock vectors, int prefetchLines) : IHnswScorer
    where TSim : struct, IStoredSimilarity
{
    private readonly int _lines = Math.Min(prefetchLines, (vectors.StrideBytes + 63) / 64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(uint node) => -TSim.Similarity(query, vectors.Pointer(node), vectors.Dimension);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Distances(ReadOnlySpan<uint> nodes, Span<float> distances)
    {
        int dim = vectors.Dimension;
        for (int i = 0; i < nodes.Length; i++) distances[i] = -TSim.Similarity(query, vectors.Pointer(nodes[i]), dim);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint node) => vectors.Prefetch(node, _lines);
}
