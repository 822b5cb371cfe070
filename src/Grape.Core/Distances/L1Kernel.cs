using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grape.Core.Distances;

/// <summary>Manhattan (L1) distance of float32 vectors.</summary>
internal static class L1Kernel
{
    /// <summary>Σ |a[i]−b[i]|; the caller has checked that the lengths match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseReduction.Sum<Op>(a, b);

    internal struct Op : IPairwiseOp
    {
        public static Vector512<float> Accumulate(Vector512<float> a, Vector512<float> b, Vector512<float> acc) => acc + Vector512.Abs(a - b);
        public static Vector512<float> Term(Vector512<float> a, Vector512<float> b) => Vector512.Abs(a - b);
        public static Vector256<float> Accumulate(Vector256<float> a, Vector256<float> b, Vector256<float> acc) => acc + Vector256.Abs(a - b);
        public static Vector256<float> Term(Vector256<float> a, Vector256<float> b) => Vector256.Abs(a - b);
        public static float Term(float a, float b) => MathF.Abs(a - b);
    }
}
