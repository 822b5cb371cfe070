using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grape.Core.Distances;

/// <summary>
/// Kernels over IEEE half vectors (float16 columns; both sides are halves, the query rounded like the stored vectors, as
/// in Qdrant): each lane is widened to float32 in registers and reduced with the float kernels' own terms
/// (<see cref="IPairwiseOp"/>), so the sums are float32 sums of exactly the decoded values. AVX-512BW where the CPU has
/// it, else AVX2, else scalar; ragged tails are scalar.
/// <para>
/// Widening is integer arithmetic (.NET exposes no F16C conversion): the magnitude bits shifted into a float's place and
/// multiplied by 2^112 re-bias the exponent, which also turns half subnormals into the right float (the product is exact:
/// a power of two). Infinities and NaN would come out as large finite values; they are never stored (writes refuse values
/// beyond ±65504 and queries saturate to it).
/// </para>
/// </summary>
internal static unsafe class HalfKernel
{
    private const uint Rebias = 0x7780_0000u; // 2^112 as float bits

    public static float Dot(ushort* a, ushort* b, int n) => Sum<DotKernel.Op>(a, b, n);

    public static float SquaredDistance(ushort* a, ushort* b, int n) => Sum<L2Kernel.Op>(a, b, n);

    public static float L1(ushort* a, ushort* b, int n) => Sum<L1Kernel.Op>(a, b, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum<TOp>(ushort* a, ushort* b, int length)
        where TOp : struct, IPairwiseOp
    {
        nuint n = (nuint)length, i = 0;
        float sum = 0f;
        if (Avx512BW.IsSupported && n >= 32)
        {
            // Interleaving each half with a zero half (vpunpcklwd/hwd) puts it in the top of a 32-bit lane: h << 16 in one
            // instruction. The lanes come out permuted within 128-bit blocks, the same way for a and b, which a sum of
            // per-lane terms does not notice.
            Vector512<ushort> zero = Vector512<ushort>.Zero;
            Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
            Vector512<float> acc2 = Vector512<float>.Zero, acc3 = Vector512<float>.Zero;
            for (; i + 64 <= n; i += 64)
            {
                Vector512<ushort> va = Vector512.Load(a + i), vb = Vector512.Load(b + i);
                Vector512<ushort> vc = Vector512.Load(a + i + 32), vd = Vector512.Load(b + i + 32);
                acc0 = TOp.Accumulate(FromHigh(Avx512BW.UnpackLow(zero, va)), FromHigh(Avx512BW.UnpackLow(zero, vb)), acc0);
                acc1 = TOp.Accumulate(FromHigh(Avx512BW.UnpackHigh(zero, va)), FromHigh(Avx512BW.UnpackHigh(zero, vb)), acc1);
                acc2 = TOp.Accumulate(FromHigh(Avx512BW.UnpackLow(zero, vc)), FromHigh(Avx512BW.UnpackLow(zero, vd)), acc2);
                acc3 = TOp.Accumulate(FromHigh(Avx512BW.UnpackHigh(zero, vc)), FromHigh(Avx512BW.UnpackHigh(zero, vd)), acc3);
            }
            for (; i + 32 <= n; i += 32)
            {
                Vector512<ushort> va = Vector512.Load(a + i), vb = Vector512.Load(b + i);
                acc0 = TOp.Accumulate(FromHigh(Avx512BW.UnpackLow(zero, va)), FromHigh(Avx512BW.UnpackLow(zero, vb)), acc0);
                acc1 = TOp.Accumulate(FromHigh(Avx512BW.UnpackHigh(zero, va)), FromHigh(Avx512BW.UnpackHigh(zero, vb)), acc1);
            }
            if (i + 16 <= n)
            {
                Vector256<ushort> z = Vector256<ushort>.Zero, va = Vector256.Load(a + i), vb = Vector256.Load(b + i);
                Vector256<float> half = TOp.Accumulate(FromHigh(Avx2.UnpackLow(z, va)), FromHigh(Avx2.UnpackLow(z, vb)), Vector256<float>.Zero);
                half = TOp.Accumulate(FromHigh(Avx2.UnpackHigh(z, va)), FromHigh(Avx2.UnpackHigh(z, vb)), half);
                sum = Vector256.Sum(half);
                i += 16;
            }
            sum += Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        else if (Avx2.IsSupported && n >= 16)
        {
            Vector256<ushort> zero = Vector256<ushort>.Zero;
            Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
            Vector256<float> acc2 = Vector256<float>.Zero, acc3 = Vector256<float>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                Vector256<ushort> va = Vector256.Load(a + i), vb = Vector256.Load(b + i);
                Vector256<ushort> vc = Vector256.Load(a + i + 16), vd = Vector256.Load(b + i + 16);
                acc0 = TOp.Accumulate(FromHigh(Avx2.UnpackLow(zero, va)), FromHigh(Avx2.UnpackLow(zero, vb)), acc0);
                acc1 = TOp.Accumulate(FromHigh(Avx2.UnpackHigh(zero, va)), FromHigh(Avx2.UnpackHigh(zero, vb)), acc1);
                acc2 = TOp.Accumulate(FromHigh(Avx2.UnpackLow(zero, vc)), FromHigh(Avx2.UnpackLow(zero, vd)), acc2);
                acc3 = TOp.Accumulate(FromHigh(Avx2.UnpackHigh(zero, vc)), FromHigh(Avx2.UnpackHigh(zero, vd)), acc3);
            }
            for (; i + 16 <= n; i += 16)
            {
                Vector256<ushort> va = Vector256.Load(a + i), vb = Vector256.Load(b + i);
                acc0 = TOp.Accumulate(FromHigh(Avx2.UnpackLow(zero, va)), FromHigh(Avx2.UnpackLow(zero, vb)), acc0);
                acc1 = TOp.Accumulate(FromHigh(Avx2.UnpackHigh(zero, va)), FromHigh(Avx2.UnpackHigh(zero, vb)), acc1);
            }
            sum = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        for (; i < n; i++) sum += TOp.Term(ToSingle(a[i]), ToSingle(b[i]));
        return sum;
    }

    // A half in the top 16 bits of each lane (h << 16): an arithmetic shift right by 3 moves exponent and mantissa to a
    // float's place (copying the sign into bits 28-30, which the mask clears), and × 2^112 re-biases the exponent.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> FromHigh(Vector512<ushort> h) =>
        ((h.AsInt32() >> 3) & Vector512.Create(unchecked((int)0x8FFF_E000))).AsSingle() * Vector512.Create(Rebias).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FromHigh(Vector256<ushort> h) =>
        ((h.AsInt32() >> 3) & Vector256.Create(unchecked((int)0x8FFF_E000))).AsSingle() * Vector256.Create(Rebias).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ToSingle(ushort h)
    {
        uint sign = (uint)(h & 0x8000) << 16;
        float magnitude = BitConverter.UInt32BitsToSingle((uint)(h & 0x7FFF) << 13) * BitConverter.UInt32BitsToSingle(Rebias);
        return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(magnitude) | sign);
    }
}
