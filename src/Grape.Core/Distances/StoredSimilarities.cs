using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

// The IStoredSimilarity structs, one per (datatype, distance) pair. Cosine shares Dot for float32 and float16 (vectors
// are normalized before rounding, as in Qdrant); uint8 is never normalized and has its own cosine.

/// <summary>Float32 columns: the float kernel of <typeparamref name="TSim"/>.</summary>
internal readonly unsafe struct Float32Similarity<TSim> : IStoredSimilarity
    where TSim : struct, IBatchSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) =>
        TSim.Similarity(new ReadOnlySpan<float>(query, dimension), new ReadOnlySpan<float>(stored, dimension));

    public static void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result)
    {
        if (!BatchKernel.Supports(dimension))
        {
            StoredRows.OneByOne<Float32Similarity<TSim>>(query, @base, strideBytes, dimension, rows, result);
            return;
        }
        float* q = (float*)query;
        float* sims = stackalloc float[4];
        int count = rows.Length, i = 0;
        for (; i + 4 <= count; i += 4)
        {
            TSim.Similarity4(q, Row(@base, strideBytes, rows[i]), Row(@base, strideBytes, rows[i + 1]), Row(@base, strideBytes, rows[i + 2]),
                Row(@base, strideBytes, rows[i + 3]), dimension, sims);
            result[i] = sims[0];
            result[i + 1] = sims[1];
            result[i + 2] = sims[2];
            result[i + 3] = sims[3];
        }
        if (i < count)
        {
            // 1 to 3 left: one more pass with the last row repeated in the spare lanes.
            float* r0 = Row(@base, strideBytes, rows[i]);
            float* r1 = i + 1 < count ? Row(@base, strideBytes, rows[i + 1]) : r0;
            float* r2 = i + 2 < count ? Row(@base, strideBytes, rows[i + 2]) : r1;
            TSim.Similarity4(q, r0, r1, r2, r2, dimension, sims);
            for (int j = 0; i + j < count; j++) result[i + j] = sims[j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* Row(byte* @base, nint strideBytes, uint row) => (float*)(@base + ((nint)row * strideBytes));
}

/// <summary>Float16 Dot and Cosine.</summary>
internal readonly unsafe struct HalfDotSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => HalfKernel.Dot((ushort*)query, (ushort*)stored, dimension);

    public static void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result) =>
        StoredRows.OneByOne<HalfDotSimilarity>(query, @base, strideBytes, dimension, rows, result);
}

/// <summary>Float16 Euclid: minus the squared distance.</summary>
internal readonly unsafe struct HalfEuclidSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => -HalfKernel.SquaredDistance((ushort*)query, (ushort*)stored, dimension);

    public static void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result) =>
        StoredRows.OneByOne<HalfEuclidSimilarity>(query, @base, strideBytes, dimension, rows, result);
}

/// <summary>Float16 Manhattan: minus the L1 distance.</summary>
internal readonly unsafe struct HalfManhattanSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => -HalfKernel.L1((ushort*)query, (ushort*)stored, dimension);

    public static void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result) =>
        StoredRows.OneByOne<HalfManhattanSimilarity>(query, @base, strideBytes, dimension, rows, result);
}

/// <summary>Uint8 Dot: the integer dot product.</summary>
internal readonly unsafe struct ByteDotSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => ByteKernel.Dot(query, stored, dimension);

    public static void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result) =>
        StoredRows.OneByOne<ByteDotSimilarity>(query, @base, strideBytes, dimension, rows, result);
}

/// <summary>Uint8 Cosine: computed per pair (dot over the norms), as Qdrant does for bytes.</summary>
internal readonly unsafe struct ByteCosineSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => ByteKernel.Cosine(query, stored, dimension);

    public static void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result) =>
        StoredRows.OneByOne<ByteCosineSimilarity>(query, @base, strideBytes, dimension, rows, result);
}

/// <summary>Uint8 Euclid: minus the integer squared distance.</summary>
internal readonly unsafe struct ByteEuclidSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => -ByteKernel.SquaredDistance(query, stored, dimension);

    public static void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result) =>
        StoredRows.OneByOne<ByteEuclidSimilarity>(query, @base, strideBytes, dimension, rows, result);
}

/// <summary>Uint8 Manhattan: minus the integer L1 distance.</summary>
internal readonly unsafe struct ByteManhattanSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => -ByteKernel.L1(query, stored, dimension);

    public static void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result) =>
        StoredRows.OneByOne<ByteManhattanSimilarity>(query, @base, strideBytes, dimension, rows, result);
}
