using Grape.Core.Collections;
using Grape.Core.Distances;
using Grape.Core.Primitives;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>The entry points by <see cref="Distance"/>: each picks the kernel struct once, so the build and search loops
/// are specialized per distance (Cosine vectors are unit length already, so Cosine is the dot product).</summary>
internal static class HnswIndex
{
    public static HnswGraph Build(Distance distance, VectorBlock vectors, ReadOnlySpan<uint> nodes, HnswBuildOptions options, CancellationToken ct) => distance switch
    {
        Distance.Cosine or Distance.Dot => HnswBuilder<DotSimilarity>.Build(vectors, nodes, options, ct),
        Distance.Euclid => HnswBuilder<EuclidSimilarity>.Build(vectors, nodes, options, ct),
        Distance.Manhattan => HnswBuilder<ManhattanSimilarity>.Build(vectors, nodes, options, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
    };

    /// <summary>Cache lines of each gathered neighbour's vector asked for ahead of scoring it.</summary>
    internal static readonly int PrefetchLines = int.TryParse(Environment.GetEnvironmentVariable("GRAPE_HNSW_PREFETCH_LINES"), out int l) ? l : 4;

    /// <summary>
    /// Offers the (up to) ef nearest accepted nodes of a float32 column to <paramref name="top"/> with their similarity
    /// (see <see cref="HnswSearcher{TScorer}"/>); <paramref name="query"/> is preprocessed and as long as a vector.
    /// </summary>
    public static void Search<TAccept>(Distance distance, HnswGraph graph, VectorBlock vectors, ReadOnlySpan<float> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TAccept : struct, IHnswAcceptor
    {
        switch (distance)
        {
            case Distance.Cosine:
            case Distance.Dot: Search<DotSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case Distance.Euclid: Search<EuclidSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case Distance.Manhattan: Search<ManhattanSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            default: throw new ArgumentOutOfRangeException(nameof(distance), distance, null);
        }
    }

    private static void Search<TSim, TAccept>(HnswGraph graph, VectorBlock vectors, ReadOnlySpan<float> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TSim : struct, IBatchSimilarity
        where TAccept : struct, IHnswAcceptor
    {
        var scorer = Float32Scorer<TSim>.Create(vectors, query, PrefetchLines);
        HnswSearcher<Float32Scorer<TSim>>.Search(graph, ref scorer, ef, ref accept, ref top, minSimilarity);
    }
}
