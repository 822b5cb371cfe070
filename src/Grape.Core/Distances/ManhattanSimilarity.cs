using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

/// <summary>Manhattan: minus the L1 distance.</summary>
internal readonly struct ManhattanSimilarity : ISimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => -L1Kernel.Distance(query, stored);
}
