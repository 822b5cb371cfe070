using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

// The IStoredSimilarity structs, one per (datatype, distance) pair. Cosine shares Dot for float32 and float16 (vectors
// are normalized before rounding, as in Qdrant); uint8 is never normalized and has its own cosine.

/// <summary>Float32 columns: the float kernel of <typeparamref name="TSim"/>.</summary>
internal readonly unsafe struct Float32Similarity<TSim> : IStoredSimilarity
    where TSim : struct, ISimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) =>
        TSim.Similarity(new ReadOnlySpan<float>(query, dimension), new ReadOnlySpan<float>(stored, dimension));
}

/// <summary>Float16 Dot and Cosine.</summary>
internal readonly unsafe struct HalfDotSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => HalfKernel.Dot((ushort*)query, (ushort*)stored, dimension);
}

/// <summary>Float16 Euclid: minus the squared distance.</summary>
internal readonly unsafe struct HalfEuclidSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => -HalfKernel.SquaredDistance((ushort*)query, (ushort*)stored, dimension);
}

/// <summary>Float16 Manhattan: minus the L1 distance.</summary>
internal readonly unsafe struct HalfManhattanSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => -HalfKernel.L1((ushort*)query, (ushort*)stored, dimension);
}

/// <summary>Uint8 Dot: the integer dot product.</summary>
internal readonly unsafe struct ByteDotSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => ByteKernel.Dot(query, stored, dimension);
}

/// <summary>Uint8 Cosine: computed per pair (dot over the norms), as Qdrant does for bytes.</summary>
internal readonly unsafe struct ByteCosineSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => ByteKernel.Cosine(query, stored, dimension);
}

/// <summary>Uint8 Euclid: minus the integer squared distance.</summary>
internal readonly unsafe struct ByteEuclidSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => -ByteKernel.SquaredDistance(query, stored, dimension);
}

/// <summary>Uint8 Manhattan: minus the integer L1 distance.</summary>
internal readonly unsafe struct ByteManhattanSimilarity : IStoredSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(byte* query, byte* stored, int dimension) => -ByteKernel.L1(query, stored, dimension);
}
