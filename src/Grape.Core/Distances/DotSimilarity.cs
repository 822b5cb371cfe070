using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

/// <summary>Dot and Cosine (cosine vectors are normalized on write, the query before the scan): the dot product.</summary>
internal readonly unsafe struct DotSimilarity : IBatchSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => DotKernel.Dot(query, stored);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Similarity4(float* query, float* v0, float* v1, float* v2, float* v3, int dimension, float* result)
    {
        BatchKernel.Sum4<DotKernel.Op>(query, v0, v1, v2, v3, dimension, result);
    }
}
