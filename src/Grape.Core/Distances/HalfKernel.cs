using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Grape.Core.Distances;

/// <summary>
/// Kernels over IEEE half vectors (float16 columns; both sides are halves, the query rounded like the stored vectors, as
/// in Qdrant): each lane is widened to float32 in registers and reduced with the float kernels' own terms
/// (<see cref="IPairwiseOp"/>), so the sums are float32 sums of exactly the decoded values. Vector512 where the CPU has
/// it, else Vector256, else scalar; ragged tails are scalar.
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
        if (Vector512.IsHardwareAccelerated && n >= 32)
        {
            Vector512<float> acc0 = Vector512<float>.Zero, acc1 = Vector512<float>.Zero;
            Vector512<float> acc2 = Vector512<float>.Zero, acc3 = Vector512<float>.Zero;
            for (; i + 64 <= n; i += 64)
            {
                (Vector512<uint> a0, Vector512<uint> a1) = Vector512.Widen(Vector512.Load(a + i));
                (Vector512<uint> b0, Vector512<uint> b1) = Vector512.Widen(Vector512.Load(b + i));
                (Vector512<uint> a2, Vector512<uint> a3) = Vector512.Widen(Vector512.Load(a + i + 32));
                (Vector512<uint> b2, Vector512<uint> b3) = Vector512.Widen(Vector512.Load(b + i + 32));
                acc0 = TOp.Accumulate(ToSingle(a0), ToSingle(b0), acc0);
                acc1 = TOp.Accumulate(ToSingle(a1), ToSingle(b1), acc1);
                acc2 = TOp.Accumulate(ToSingle(a2), ToSingle(b2), acc2);
                acc3 = TOp.Accumulate(ToSingle(a3), ToSingle(b3), acc3);
            }
            for (; i + 32 <= n; i += 32)
            {
                (Vector512<uint> a0, Vector512<uint> a1) = Vector512.Widen(Vector512.Load(a + i));
                (Vector512<uint> b0, Vector512<uint> b1) = Vector512.Widen(Vector512.Load(b + i));
                acc0 = TOp.Accumulate(ToSingle(a0), ToSingle(b0), acc0);
                acc1 = TOp.Accumulate(ToSingle(a1), ToSingle(b1), acc1);
            }
            if (i + 16 <= n)
            {
                acc2 = TOp.Accumulate(ToSingle(Vector512.WidenLower(Vector256.Load(a + i).ToVector512Unsafe())),
                    ToSingle(Vector512.WidenLower(Vector256.Load(b + i).ToVector512Unsafe())), acc2);
                i += 16;
            }
            sum = Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        else if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
            Vector256<float> acc2 = Vector256<float>.Zero, acc3 = Vector256<float>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                (Vector256<uint> a0, Vector256<uint> a1) = Vector256.Widen(Vector256.Load(a + i));
                (Vector256<uint> b0, Vector256<uint> b1) = Vector256.Widen(Vector256.Load(b + i));
                (Vector256<uint> a2, Vector256<uint> a3) = Vector256.Widen(Vector256.Load(a + i + 16));
                (Vector256<uint> b2, Vector256<uint> b3) = Vector256.Widen(Vector256.Load(b + i + 16));
                acc0 = TOp.Accumulate(ToSingle(a0), ToSingle(b0), acc0);
                acc1 = TOp.Accumulate(ToSingle(a1), ToSingle(b1), acc1);
                acc2 = TOp.Accumulate(ToSingle(a2), ToSingle(b2), acc2);
                acc3 = TOp.Accumulate(ToSingle(a3), ToSingle(b3), acc3);
            }
            for (; i + 16 <= n; i += 16)
            {
                (Vector256<uint> a0, Vector256<uint> a1) = Vector256.Widen(Vector256.Load(a + i));
                (Vector256<uint> b0, Vector256<uint> b1) = Vector256.Widen(Vector256.Load(b + i));
                acc0 = TOp.Accumulate(ToSingle(a0), ToSingle(b0), acc0);
                acc1 = TOp.Accumulate(ToSingle(a1), ToSingle(b1), acc1);
            }
            sum = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
        }
        for (; i < n; i++) sum += TOp.Term(ToSingle(a[i]), ToSingle(b[i]));
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ToSingle(Vector512<uint> h)
    {
        Vector512<uint> sign = (h & Vector512.Create(0x8000u)) << 16;
        Vector512<float> magnitude = ((h & Vector512.Create(0x7FFFu)) << 13).AsSingle() * Vector512.Create(Rebias).AsSingle();
        return (magnitude.AsUInt32() | sign).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ToSingle(Vector256<uint> h)
    {
        Vector256<uint> sign = (h & Vector256.Create(0x8000u)) << 16;
        Vector256<float> magnitude = ((h & Vector256.Create(0x7FFFu)) << 13).AsSingle() * Vector256.Create(Rebias).AsSingle();
        return (magnitude.AsUInt32() | sign).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ToSingle(ushort h)
    {
        uint sign = (uint)(h & 0x8000) << 16;
        float magnitude = BitConverter.UInt32BitsToSingle((uint)(h & 0x7FFF) << 13) * BitConverter.UInt32BitsToSingle(Rebias);
        return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(magnitude) | sign);
    }
}
