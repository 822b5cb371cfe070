using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grape.Core.Distances;

/// <summary>Dot product of float32 vectors.</summary>
internal static class DotKernel
{
    /// <summary>Σ a[i]·b[i]; the caller has checked that the lengths match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseReduction.Sum<Op>(a, b);

    internal struct Op : IPairwiseOp
    {
        public static Vector512<float> Accumulate(Vector512<float> a, Vector512<float> b, Vector512<float> acc) => Vector512.MultiplyAddEstimate(a, b, acc);
        public static Vector512<float> Term(Vector512<float> a, Vector512<float> b) => a * b;
        public static Vector256<float> Accumulate(Vector256<float> a, Vector256<float> b, Vector256<float> acc) => Vector256.MultiplyAddEstimate(a, b, acc);
        public static Vector256<float> Term(Vector256<float> a, Vector256<float> b) => a * b;
        public static float Term(float a, float b) => a * b;
    }
}
