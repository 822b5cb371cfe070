using Grape.Core.Indexing.Hnsw;

namespace Grape.Core.Collections.Shards;

/// <summary>
/// Scores graph nodes with an <see cref="IVectorRanker"/> (distance = −rank), so a custom-score query walks the HNSW
/// graph built for nearest search, as Qdrant's raw scorers do. One ranker call per node: the ranker scores several
/// examples per vector, which outweighs the interface call.
/// </summary>
internal readonly struct RankerHnswScorer(VectorBlock vectors, IVectorRanker ranker, int prefetchLines) : IHnswScorer
{
    public float Distance(uint node) => -ranker.Rank(vectors.Get(node));

    public void Distances(ReadOnlySpan<uint> nodes, Span<float> distances)
    {
        for (int i = 0; i < nodes.Length; i++) distances[i] = -ranker.Rank(vectors.Get(nodes[i]));
    }

    public void Prefetch(uint node) => vectors.Prefetch(node, prefetchLines);
}
