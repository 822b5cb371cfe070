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
            (VectorDatatype.Float32, Distance.Cosine or Distance.Dot) => BuildOver<Float32Similarity<DotSimilarity>>(vectors, nodes, options, ct),
            (VectorDatatype.Float32, Distance.Euclid) => BuildOver<Float32Similarity<EuclidSimilarity>>(vectors, nodes, options, ct),
            (VectorDatatype.Float32, Distance.Manhattan) => BuildOver<Float32Similarity<ManhattanSimilarity>>(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Cosine or Distance.Dot) => BuildOver<HalfDotSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Euclid) => BuildOver<HalfEuclidSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Float16, Distance.Manhattan) => BuildOver<HalfManhattanSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Cosine) => BuildOver<ByteCosineSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Dot) => BuildOver<ByteDotSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Euclid) => BuildOver<ByteEuclidSimilarity>(vectors, nodes, options, ct),
            (VectorDatatype.Uint8, Distance.Manhattan) => BuildOver<ByteManhattanSimilarity>(vectors, nodes, options, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
        };

    private static HnswGraph BuildOver<TSim>(VectorBlock vectors, ReadOnlySpan<uint> nodes, HnswBuildOptions options, CancellationToken ct)
        where TSim : struct, IStoredSimilarity =>
        HnswBuilder<VectorBlockSpace<TSim>>.Build(new VectorBlockSpace<TSim>(vectors), nodes, options, ct);

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

    /// <summary>
    /// As above for a column of any datatype, with the query in the column's stored form
    /// (<see cref="Storage.Vectors.VectorEncoding.Encode(VectorDatatype, ReadOnlySpan{float})"/>): float32 columns take
    /// the batched float scorer, float16 and uint8 columns score node by node through their own kernels.
    /// </summary>
    public static void Search<TAccept>(Distance distance, VectorDatatype datatype, HnswGraph graph, VectorBlock vectors, ReadOnlySpan<byte> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TAccept : struct, IHnswAcceptor
    {
        switch ((datatype, distance))
        {
            case (VectorDatatype.Float32, _): Search(distance, graph, vectors, MemoryMarshal.Cast<byte, float>(query), ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Cosine or Distance.Dot): SearchStored<HalfDotSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Euclid): SearchStored<HalfEuclidSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Float16, Distance.Manhattan): SearchStored<HalfManhattanSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Cosine): SearchStored<ByteCosineSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Dot): SearchStored<ByteDotSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Euclid): SearchStored<ByteEuclidSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
            case (VectorDatatype.Uint8, Distance.Manhattan): SearchStored<ByteManhattanSimilarity, TAccept>(graph, vectors, query, ef, ref accept, ref top, minSimilarity); break;
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

    private static unsafe void SearchStored<TSim, TAccept>(HnswGraph graph, VectorBlock vectors, ReadOnlySpan<byte> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TSim : struct, IStoredSimilarity
        where TAccept : struct, IHnswAcceptor
    {
        fixed (byte* q = query)
        {
            var scorer = new StoredScorer<TSim>(q, vectors, PrefetchLines);
            HnswSearcher<StoredScorer<TSim>>.Search(graph, ref scorer, ef, ref accept, ref top, minSimilarity);
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
