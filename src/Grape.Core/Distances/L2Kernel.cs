using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grape.Core.Distances;

/// <summary>Squared Euclidean distance of float32 vectors (no square root: ranking does not need it).</summary>
internal static class L2Kernel
{
    /// <summary>Σ (a[i]−b[i])²; the caller has checked that the lengths match.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => PairwiseReduction.Sum<Op>(a, b);

    internal struct Op : IPairwiseOp
    {
        public static Vector512<float> Accumulate(Vector512<float> a, Vector512<float> b, Vector512<float> acc)
        {
            Vector512<float> d = a - b;
            return Vector512.MultiplyAddEstimate(d, d, acc);
        }

        public static Vector512<float> Term(Vector512<float> a, Vector512<float> b)
        {
            Vector512<float> d = a - b;
            return d * d;
        }

        public static Vector256<float> Accumulate(Vector256<float> a, Vector256<float> b, Vector256<float> acc)
        {
            Vector256<float> d = a - b;
            return Vector256.MultiplyAddEstimate(d, d, acc);
        }

        public static Vector256<float> Term(Vector256<float> a, Vector256<float> b)
        {
            Vector256<float> d = a - b;
            return d * d;
        }

        public static float Term(float a, float b)
        {
            float d = a - b;
            return d * d;
        }
    }
}
