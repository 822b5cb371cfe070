using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

/// <summary>Euclid: minus the squared L2 distance (same order as the distance, reversed; no square root per candidate).</summary>
internal readonly struct EuclidSimilarity : ISimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => -L2Kernel.SquaredDistance(query, stored);
}
