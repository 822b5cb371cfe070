using Grape.Core.Collections;
using Grape.Core.Distances;
using Grape.Core.Primitives;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// HNSW over a multivector column, by <see cref="Distance"/> and <see cref="VectorDatatype"/> (the same kernel table as
/// <see cref="HnswIndex"/>): the graph is built and walked with max_sim as the similarity, point against point when
/// building and query against point when searching, as Qdrant does. The graph itself is an ordinary
/// <see cref="HnswGraph"/> (same file, same level-0 layout, same search loop).
/// </summary>
internal static class MultiVectorHnswIndex
{
    public static HnswGraph Build(Distance distance, VectorDatatype datatype, MultiVectorBlock vectors, ReadOnlySpan<uint> nodes, HnswBuildOptions options,
        CancellationToken ct) =>
        (datatype, distance) switch
        {
            (VectorDatatype.Float32, Distance.Cosine or Distance.Dot) => Build<Float32Similarity<DotSimilarity>>(vectors, nodes, options, ct),
            (VectorDatatype.Float32, Distance.Euclid) => Build<Float32Similarity<EuclidSimilarity>>(vectors, nodes, options, ct),
            (VectorDatatype.Float32, Distance.Manhattan) => Build<Float32Similarity<ManhattanSimilarity>>(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Cosine or Distance.Dot) => Build<HalfDotSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Euclid) => Build<HalfEuclidSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Manhattan) => Build<HalfManhattanSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Cosine) => Build<ByteCosineSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Dot) => Build<ByteDotSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Euclid) => Build<ByteEuclidSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Manhattan) => Build<ByteManhattanSimilarity>(vectors, nodes, options, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
        };

    private static HnswGraph Build<TSim>(MultiVectorBlock vectors, ReadOnlySpan<uint> nodes, HnswBuildOptions options, CancellationToken ct)
        where TSim : struct, IStoredSimilarity =>
        HnswBuilder<MultiVectorSpace<TSim>>.Build(new MultiVectorSpace<TSim>(vectors), nodes, options, ct);

    /// <summary>
    /// Offers the (up to) ef nodes nearest to <paramref name="query"/> by max_sim that <paramref name="accept"/> takes to
    /// <paramref name="top"/>, with the walk's max_sim (batched sums: last-bit differences from
    /// <see cref="MaxSimKernel"/>, so callers that report scores rescore). <paramref name="query"/> is the query's
    /// sub-vectors in the column's stored form (<see cref="Storage.Vectors.VectorEncoding.Encode(VectorDatatype, ReadOnlySpan{float})"/>
    /// for float16/uint8), a whole number of rows.
    /// </summary>
    public static void Search<TAccept>(Distance distance, VectorDatatype datatype, HnswGraph graph, MultiVectorBlock vectors, ReadOnlySpan<byte> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TAccept : struct, IHnswAcceptor
    {
        switch ((datatype, distance))
        {
            case (VectorDatatype.Float32, Distance.Cosine or Distance.Dot): Search<Float32Similarity<DotSimilarity>, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float32, Distance.Euclid): Search<Float32Similarity<EuclidSimilarity>, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float32, Distance.Manhattan): Search<Float32Similarity<ManhattanSimilarity>, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Cosine or Distance.Dot): Search<HalfDotSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Euclid): Search<HalfEuclidSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Manhattan): Search<HalfManhattanSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Cosine): Search<ByteCosineSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Dot): Search<ByteDotSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Euclid): Search<ByteEuclidSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Manhattan): Search<ByteManhattanSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            default: throw new ArgumentOutOfRangeException(nameof(distance), distance, null);
        }
    }

    private static unsafe void Search<TSim, TAccept>(HnswGraph graph, MultiVectorBlock vectors, ReadOnlySpan<byte> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TSim : struct, IStoredSimilarity
        where TAccept : struct, IHnswAcceptor
    {
        if (query.IsEmpty || query.Length % vectors.RowBytes != 0)
            throw new ArgumentException($"A multivector query needs whole {vectors.Dimension}-dim sub-vectors", nameof(query));
        fixed (byte* q = query)
        {
            var scorer = new MultiVectorScorer<TSim>(q, query.Length / vectors.RowBytes, vectors, HnswIndex.PrefetchLines);
            HnswSearcher<MultiVectorScorer<TSim>>.Search(graph, ref scorer, ef, ref accept, ref top, minSimilarity);
        }
    }
}
