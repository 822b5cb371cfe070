using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grape.Core.Distances;

/// <summary>
/// One query against four stored vectors, Σ term(q[i], v[i]) for each: Vector512 chunks where the CPU has them (the
/// dimension a multiple of 16), else Vector256 chunks (a multiple of 8), else the one-pair kernel four times. Each chunk of
/// the query is loaded once for the four vectors, and the four accumulators are independent chains.
/// </summary>
internal static unsafe class BatchKernel
{
    /// <summary>Whether the chunked path applies to <paramref name="dimension"/> on this CPU (else the caller scores one
    /// pair at a time).</summary>
    public static bool Supports(int dimension) =>
        (Vector512.IsHardwareAccelerated && dimension >= 16 && dimension % 16 == 0)
        || (Vector256.IsHardwareAccelerated && dimension >= 8 && dimension % 8 == 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4<TOp>(float* q, float* v0, float* v1, float* v2, float* v3, int dimension, float* result)
        where TOp : struct, IPairwiseOp
    {
        nuint n = (nuint)dimension;
        if (Vector512.IsHardwareAccelerated && (n & 15) == 0)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero;
            for (nuint i = 0; i < n; i += 16)
            {
                Vector512<float> x = Vector512.Load(q + i);
                a0 = TOp.Accumulate(x, Vector512.Load(v0 + i), a0);
                a1 = TOp.Accumulate(x, Vector512.Load(v1 + i), a1);
                a2 = TOp.Accumulate(x, Vector512.Load(v2 + i), a2);
                a3 = TOp.Accumulate(x, Vector512.Load(v3 + i), a3);
            }
            result[0] = Vector512.Sum(a0);
            result[1] = Vector512.Sum(a1);
            result[2] = Vector512.Sum(a2);
            result[3] = Vector512.Sum(a3);
            return;
        }
        if (Vector256.IsHardwareAccelerated && (n & 7) == 0)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero;
            for (nuint i = 0; i < n; i += 8)
            {
                Vector256<float> x = Vector256.Load(q + i);
                a0 = TOp.Accumulate(x, Vector256.Load(v0 + i), a0);
                a1 = TOp.Accumulate(x, Vector256.Load(v1 + i), a1);
                a2 = TOp.Accumulate(x, Vector256.Load(v2 + i), a2);
                a3 = TOp.Accumulate(x, Vector256.Load(v3 + i), a3);
            }
            result[0] = Vector256.Sum(a0);
            result[1] = Vector256.Sum(a1);
            result[2] = Vector256.Sum(a2);
            result[3] = Vector256.Sum(a3);
            return;
        }
        var query = new ReadOnlySpan<float>(q, dimension);
        result[0] = PairwiseReduction.Sum<TOp>(query, new ReadOnlySpan<float>(v0, dimension));
        result[1] = PairwiseReduction.Sum<TOp>(query, new ReadOnlySpan<float>(v1, dimension));
        result[2] = PairwiseReduction.Sum<TOp>(query, new ReadOnlySpan<float>(v2, dimension));
        result[3] = PairwiseReduction.Sum<TOp>(query, new ReadOnlySpan<float>(v3, dimension));
    }
}
