using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

/// <summary>Manhattan: minus the L1 distance.</summary>
internal readonly unsafe struct ManhattanSimilarity : IBatchSimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => -L1Kernel.Distance(query, stored);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Similarity4(float* query, float* v0, float* v1, float* v2, float* v3, int dimension, float* result)
    {
        BatchKernel.Sum4<L1Kernel.Op>(query, v0, v1, v2, v3, dimension, result);
        result[0] = -result[0];
        result[1] = -result[1];
        result[2] = -result[2];
        result[3] = -result[3];
    }
}
