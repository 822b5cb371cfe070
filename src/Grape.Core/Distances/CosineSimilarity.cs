using System.Runtime.CompilerServices;

namespace Grape.Core.Distances;

/// <summary>
/// Cosine computed per pair on decoded floats: dot / √(‖a‖²·‖b‖²), 0 when either is zero. Only uint8 columns use it (their
/// vectors are not normalized); it is the float-side twin of <see cref="ByteKernel.Cosine"/> for the paths that score
/// decoded vectors (rescoring, recommend, max_sim), and equals it while the integer sums stay below 2^24.
/// </summary>
internal readonly struct CosineSimilarity : ISimilarity
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored)
    {
        float dot = DotKernel.Dot(query, stored), na = DotKernel.Dot(query, query), nb = DotKernel.Dot(stored, stored);
        if (na == 0f || nb == 0f) return 0f;
        return dot / MathF.Sqrt(na * nb);
    }
}
