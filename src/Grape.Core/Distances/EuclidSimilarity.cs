using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

/// <summary>Euclid: minus the squared L2 distance (same order as the distance, reversed; no square root per candidate).</summary>
internal readonly unsafe struct EuclidSimilarity : IBatchSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => -L2Kernel.SquaredDistance(query, stored);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Similarity4(float* query, float* v0, float* v1, float* v2, float* v3, int dimension, float* result)
    {
        BatchKernel.Sum4<L2Kernel.Op>(query, v0, v1, v2, v3, dimension, result);
        result[0] = -result[0];
        result[1] = -result[1];
        result[2] = -result[2];
        result[3] = -result[3];
    }
}
