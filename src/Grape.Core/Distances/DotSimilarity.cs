using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

/// <summary>Dot and Cosine (cosine vectors are normalized on write, the query before the scan): the dot product.</summary>
internal readonly struct DotSimilarity : ISimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => DotKernel.Dot(query, stored);
}
