using System.Runtime.InteropServices;
using Grape.Core.Collections;
using Grape.Core.Distances;
using Grape.Core.Primitives;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>The entry points by <see cref="Distance"/> and <see cref="VectorDatatype"/>: each picks the kernel struct
/// once, so the build and search loops are specialized per distance and stored type (float32 and float16 Cosine vectors
/// are unit length already, so Cosine is the dot product there; uint8 Cosine is computed per pair).</summary>
internal static class HnswIndex
{
    /// <summary>Builds over float32 vectors.</summary>
    public static HnswGraph Build(Distance distance, VectorBlock vectors, ReadOnlySpan<uint> nodes, HnswBuildOptions options, CancellationToken ct) =>
        Build(distance, VectorDatatype.Float32, vectors, nodes, options, ct);

    public static HnswGraph Build(Distance distance, VectorDatatype datatype, VectorBlock vectors, ReadOnlySpan<uint> nodes, HnswBuildOptions options, CancellationToken ct) =>
        (datatype, distance) switch
        {
            (VectorDatatype.Float32, Distance.Cosine or Distance.Dot) => HnswBuilder<Float32Similarity<DotSimilarity>>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Float32, Distance.Euclid) => HnswBuilder<Float32Similarity<EuclidSimilarity>>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Float32, Distance.Manhattan) => HnswBuilder<Float32Similarity<ManhattanSimilarity>>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Cosine or Distance.Dot) => HnswBuilder<HalfDotSimilarity>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Euclid) => HnswBuilder<HalfEuclidSimilarity>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Manhattan) => HnswBuilder<HalfManhattanSimilarity>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Cosine) => HnswBuilder<ByteCosineSimilarity>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Dot) => HnswBuilder<ByteDotSimilarity>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Euclid) => HnswBuilder<ByteEuclidSimilarity>.Build(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Manhattan) => HnswBuilder<ByteManhattanSimilarity>.Build(vectors, nodes, options, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
        };

    /// <summary>Searches float32 vectors with a float32 query. See <see cref="HnswSearcher.Search{TSim, TAccept}"/>.</summary>
    public static void Search<TAccept>(Distance distance, HnswGraph graph, VectorBlock vectors, ReadOnlySpan<float> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TAccept : struct, IHnswAcceptor =>
        Search(distance, VectorDatatype.Float32, graph, vectors, MemoryMarshal.AsBytes(query), ef, ref accept, ref top, minSimilarity);

    /// <summary>Searches with a query in the column's stored form (<see cref="Storage.Vectors.VectorEncoding.Encode(VectorDatatype, ReadOnlySpan{float})"/>).</summary>
    public static void Search<TAccept>(Distance distance, VectorDatatype datatype, HnswGraph graph, VectorBlock vectors, ReadOnlySpan<byte> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TAccept : struct, IHnswAcceptor
    {
        switch ((datatype, distance))
        {
            case (VectorDatatype.Float32, Distance.Cosine or Distance.Dot): HnswSearcher.Search<Float32Similarity<DotSimilarity>, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float32, Distance.Euclid): HnswSearcher.Search<Float32Similarity<EuclidSimilarity>, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float32, Distance.Manhattan): HnswSearcher.Search<Float32Similarity<ManhattanSimilarity>, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Cosine or Distance.Dot): HnswSearcher.Search<HalfDotSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Euclid): HnswSearcher.Search<HalfEuclidSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Manhattan): HnswSearcher.Search<HalfManhattanSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Cosine): HnswSearcher.Search<ByteCosineSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Dot): HnswSearcher.Search<ByteDotSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Euclid): HnswSearcher.Search<ByteEuclidSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Manhattan): HnswSearcher.Search<ByteManhattanSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            default: throw new ArgumentOutOfRangeException(nameof(distance), distance, null);
        }
    }
}
