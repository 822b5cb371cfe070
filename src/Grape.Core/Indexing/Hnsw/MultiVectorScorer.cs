using System.Runtime.CompilerServices;
using Grape.Core.Distances;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Scores the nodes of a multivector column with max_sim against a query already in the column's stored form
/// (<paramref name="queryRows"/> sub-vectors at <paramref name="query"/>, pinned for the search); distance = −max_sim.
/// </summary>
internal readonly unsafe struct MultiVectorScorer<TSim>(byte* query, int queryRows, MultiVectorBlock vectors, int prefetchLines) : IHnswScorer
    where TSim : struct, IStoredSimilarity
{
    private readonly int _lines = Math.Min(prefetchLines, (vectors.RowBytes + 63) / 64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Distance(uint node) => -vectors.MaxSim<TSim>(query, queryRows, node);

    public void Distances(ReadOnlySpan<uint> nodes, Span<float> distances)
    {
        for (int i = 0; i < nodes.Length; i++) distances[i] = -vectors.MaxSim<TSim>(query, queryRows, nodes[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint node) => vectors.Prefetch(node, _lines);
}
