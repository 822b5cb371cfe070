using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Grape.Core.Distances;

/// <summary>
/// Integer kernels over uint8 vectors (uint8 columns; the query is converted to uint8 too, as in Qdrant), exact in 32-bit
/// lanes: bytes are zero-extended to 16 bits and multiplied pairwise with a horizontal add into 32 bits (<c>vpmaddwd</c>,
/// AVX-512BW on 64 bytes or AVX2 on 16 per step), differences likewise, and L1 uses the byte sum of absolute differences
/// (<c>vpsadbw</c>). A lane sums at most dim/8 products of ≤ 65,025, so it cannot overflow below ~260,000 dimensions
/// (the limit is 65,536). No AVX-VNNI here: its byte form multiplies unsigned by signed bytes, and the 16-bit form is
/// the same <c>vpmaddwd</c> fused with the add (only on CPUs with AVX-VNNI, which .NET does not expose for AVX-512).
/// Scalar elsewhere and for the tail.
/// </summary>
internal static unsafe class ByteKernel
{
    /// <summary>Σ a[i]·b[i].</summary>
    public static long Dot(byte* a, byte* b, int length)
    {
        nuint n = (nuint)length, i = 0;
        long sum = 0;
        if (Avx512BW.IsSupported && n >= 32)
        {
            Vector512<int> acc0 = Vector512<int>.Zero, acc1 = Vector512<int>.Zero;
            for (; i + 64 <= n; i += 64)
            {
                acc0 += Avx512BW.MultiplyAddAdjacent(Widen512(a + i), Widen512(b + i));
                acc1 += Avx512BW.MultiplyAddAdjacent(Widen512(a + i + 32), Widen512(b + i + 32));
            }
            if (i + 32 <= n)
            {
                acc0 += Avx512BW.MultiplyAddAdjacent(Widen512(a + i), Widen512(b + i));
                i += 32;
            }
            sum = SumLanes(acc0 + acc1);
        }
        else if (Avx2.IsSupported && n >= 16)
        {
            Vector256<int> acc0 = Vector256<int>.Zero, acc1 = Vector256<int>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                acc0 += Avx2.MultiplyAddAdjacent(Widen256(a + i), Widen256(b + i));
                acc1 += Avx2.MultiplyAddAdjacent(Widen256(a + i + 16), Widen256(b + i + 16));
            }
            if (i + 16 <= n)
            {
                acc0 += Avx2.MultiplyAddAdjacent(Widen256(a + i), Widen256(b + i));
                i += 16;
            }
            sum = SumLanes(acc0 + acc1);
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>Σ (a[i] − b[i])².</summary>
    public static long SquaredDistance(byte* a, byte* b, int length)
    {
        nuint n = (nuint)length, i = 0;
        long sum = 0;
        if (Avx512BW.IsSupported && n >= 32)
        {
            Vector512<int> acc0 = Vector512<int>.Zero, acc1 = Vector512<int>.Zero;
            for (; i + 64 <= n; i += 64)
            {
                Vector512<short> d0 = Widen512(a + i) - Widen512(b + i);
                Vector512<short> d1 = Widen512(a + i + 32) - Widen512(b + i + 32);
                acc0 += Avx512BW.MultiplyAddAdjacent(d0, d0);
                acc1 += Avx512BW.MultiplyAddAdjacent(d1, d1);
            }
            if (i + 32 <= n)
            {
                Vector512<short> d0 = Widen512(a + i) - Widen512(b + i);
                acc0 += Avx512BW.MultiplyAddAdjacent(d0, d0);
                i += 32;
            }
            sum = SumLanes(acc0 + acc1);
        }
        else if (Avx2.IsSupported && n >= 16)
        {
            Vector256<int> acc0 = Vector256<int>.Zero, acc1 = Vector256<int>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                Vector256<short> d0 = Widen256(a + i) - Widen256(b + i);
                Vector256<short> d1 = Widen256(a + i + 16) - Widen256(b + i + 16);
                acc0 += Avx2.MultiplyAddAdjacent(d0, d0);
                acc1 += Avx2.MultiplyAddAdjacent(d1, d1);
            }
            if (i + 16 <= n)
            {
                Vector256<short> d0 = Widen256(a + i) - Widen256(b + i);
                acc0 += Avx2.MultiplyAddAdjacent(d0, d0);
                i += 16;
            }
            sum = SumLanes(acc0 + acc1);
        }
        for (; i < n; i++)
        {
            int d = a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    /// <summary>Σ |a[i] − b[i]|.</summary>
    public static long L1(byte* a, byte* b, int length)
    {
        nuint n = (nuint)length, i = 0;
        long sum = 0;
        if (Avx512BW.IsSupported && n >= 64)
        {
            Vector512<ulong> acc = Vector512<ulong>.Zero;
            for (; i + 64 <= n; i += 64) acc += Avx512BW.SumAbsoluteDifferences(Vector512.Load(a + i), Vector512.Load(b + i)).AsUInt64();
            sum = (long)Vector512.Sum(acc);
        }
        if (Avx2.IsSupported && i + 32 <= n)
        {
            Vector256<ulong> acc = Vector256<ulong>.Zero;
            for (; i + 32 <= n; i += 32) acc += Avx2.SumAbsoluteDifferences(Vector256.Load(a + i), Vector256.Load(b + i)).AsUInt64();
            sum += (long)Vector256.Sum(acc);
        }
        if (Sse2.IsSupported && i + 16 <= n)
        {
            sum += (long)Vector128.Sum(Sse2.SumAbsoluteDifferences(Vector128.Load(a + i), Vector128.Load(b + i)).AsUInt64());
            i += 16;
        }
        for (; i < n; i++) sum += Math.Abs(a[i] - b[i]);
        return sum;
    }

    /// <summary>Σ a·b, Σ a², Σ b² in one pass (Qdrant's uint8 cosine).</summary>
    public static (long Dot, long NormA, long NormB) DotAndNorms(byte* a, byte* b, int length)
    {
        nuint n = (nuint)length, i = 0;
        long dot = 0, na = 0, nb = 0;
        if (Avx512BW.IsSupported && n >= 32)
        {
            Vector512<int> accDot = Vector512<int>.Zero, accA = Vector512<int>.Zero, accB = Vector512<int>.Zero;
            for (; i + 32 <= n; i += 32)
            {
                Vector512<short> va = Widen512(a + i), vb = Widen512(b + i);
                accDot += Avx512BW.MultiplyAddAdjacent(va, vb);
                accA += Avx512BW.MultiplyAddAdjacent(va, va);
                accB += Avx512BW.MultiplyAddAdjacent(vb, vb);
            }
            dot = SumLanes(accDot);
            na = SumLanes(accA);
            nb = SumLanes(accB);
        }
        else if (Avx2.IsSupported && n >= 16)
        {
            Vector256<int> accDot = Vector256<int>.Zero, accA = Vector256<int>.Zero, accB = Vector256<int>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                Vector256<short> va = Widen256(a + i), vb = Widen256(b + i);
                accDot += Avx2.MultiplyAddAdjacent(va, vb);
                accA += Avx2.MultiplyAddAdjacent(va, va);
                accB += Avx2.MultiplyAddAdjacent(vb, vb);
            }
            dot = SumLanes(accDot);
            na = SumLanes(accA);
            nb = SumLanes(accB);
        }
        for (; i < n; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return (dot, na, nb);
    }

    /// <summary>Qdrant's uint8 cosine: dot / √(‖a‖²·‖b‖²) in float32, 0 when either vector is zero.</summary>
    public static float Cosine(byte* a, byte* b, int length)
    {
        (long dot, long na, long nb) = DotAndNorms(a, b, length);
        if (na == 0 || nb == 0) return 0f;
        return dot / MathF.Sqrt(na * (float)nb);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Widen512(byte* p) => Avx512BW.ConvertToVector512Int16(Vector256.Load(p));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen256(byte* p) => Avx2.ConvertToVector256Int16(Vector128.Load(p));

    // Lanes are non-negative (sums of products of non-negative values, or of squares), so widening as unsigned is exact.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long SumLanes(Vector512<int> v)
    {
        (Vector512<ulong> lo, Vector512<ulong> hi) = Vector512.Widen(v.AsUInt32());
        return (long)Vector512.Sum(lo + hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long SumLanes(Vector256<int> v)
    {
        (Vector256<ulong> lo, Vector256<ulong> hi) = Vector256.Widen(v.AsUInt32());
        return (long)Vector256.Sum(lo + hi);
    }
}
