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

    /// <summary>See <see cref="HnswSearcher.Search{TSim, TAccept}"/>.</summary>
    public static void Search<TAccept>(Distance distance, HnswGraph graph, VectorBlock vectors, ReadOnlySpan<float> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TAccept : struct, IHnswAcceptor
    {
        switch (distance)
        {
            case Distance.Cosine:
            case Distance.Dot: HnswSearcher.Search<DotSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case Distance.Euclid: HnswSearcher.Search<EuclidSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case Distance.Manhattan: HnswSearcher.Search<ManhattanSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            default: throw new ArgumentOutOfRangeException(nameof(distance), distance, null);
        }
    }

    /// <summary>See <see cref="HnswFilteredSearcher.Search{TSim, TCheck}"/>.</summary>
    public static void SearchFiltered<TCheck>(Distance distance, HnswGraph graph, VectorBlock vectors, ReadOnlySpan<float> query, int ef,
        ref TCheck check, ref TopK top, float minSimilarity, bool twoHop, bool cheapCheck)
        where TCheck : struct, IHnswAcceptor
    {
        switch (distance)
        {
            case Distance.Cosine:
            case Distance.Dot: HnswFilteredSearcher.Search<DotSimilarity, TCheck>(graph, vectors, query, ef, ref check, ref top, minSimilarity, twoHop, cheapCheck); break;
            case Distance.Euclid: HnswFilteredSearcher.Search<EuclidSimilarity, TCheck>(graph, vectors, query, ef, ref check, ref top, minSimilarity, twoHop, cheapCheck); break;
            case Distance.Manhattan: HnswFilteredSearcher.Search<ManhattanSimilarity, TCheck>(graph, vectors, query, ef, ref check, ref top, minSimilarity, twoHop, cheapCheck); break;
            default: throw new ArgumentOutOfRangeException(nameof(distance), distance, null);
        }
    }
}
