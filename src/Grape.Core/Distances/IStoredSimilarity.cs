namespace Grape.Core.Distances;

/// <summary>
/// A similarity (higher is better) between two vectors in a column's stored form: <c>dimension</c> components of the
/// column's datatype at each address (the query converted to that form once per search). The seam that lets one graph
/// and scan loop serve float32, float16 and uint8 columns: the loops are generic over this struct, the JIT specializes
/// them per datatype and distance, and the float32 case inlines to the float kernel exactly as before.
/// </summary>
internal unsafe interface IStoredSimilarity
{
    static abstract float Similarity(byte* query, byte* stored, int dimension);

    /// <summary>
    /// The similarities of the query to several stored rows (<c>base + row × strideBytes</c>), in order: a gathered
    /// neighbourhood of the graph build. Float32 scores four rows per pass where <see cref="BatchKernel"/> supports the
    /// dimension (its sums add in another order than the one-pair kernel: last-bit differences only).
    /// </summary>
    static abstract void Similarities(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result);
}

/// <summary>The one-row-at-a-time <see cref="IStoredSimilarity.Similarities"/>, for kernels without a batched form.</summary>
internal static unsafe class StoredRows
{
    public static void OneByOne<TSim>(byte* query, byte* @base, nint strideBytes, int dimension, ReadOnlySpan<uint> rows, Span<float> result)
        where TSim : struct, IStoredSimilarity
    {
        for (int i = 0; i < rows.Length; i++) result[i] = TSim.Similarity(query, @base + ((nint)rows[i] * strideBytes), dimension);
    }
}
