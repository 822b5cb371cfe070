using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Grape.Core.Distances;

/// <summary>Whole-vector helpers used on write and on query preparation (not per candidate).</summary>
internal static class VectorMath
{
    private const uint ExponentMask = 0x7F80_0000u;

    /// <summary>
    /// Scales <paramref name="vector"/> in place to unit L2 length. A zero vector stays zero (Qdrant keeps it as is); a
    /// vector holding NaN/∞ (rejected by validation before this) is left unchanged.
    /// </summary>
    public static void Normalize(Span<float> vector)
    {
        float sumSquares = DotKernel.Dot(vector, vector);
        float scale;
        if (float.IsNormal(sumSquares))
        {
            scale = 1f / MathF.Sqrt(sumSquares);
        }
        else
        {
            // The float sum of squares overflowed (components ≳ 1e19) or underflowed (≲ 1e-19): redo it in double,
            // where neither can happen for finite floats, so such vectors still come out unit length.
            double sum = 0;
            foreach (float x in vector)
            {
                sum += (double)x * x;
            }
            if (sum == 0 || !double.IsFinite(sum))
            {
                return;
            }
            double s = 1.0 / Math.Sqrt(sum);
            if (!float.IsNormal((float)s))
            {
                // The scale itself leaves float range; scale each component in double.
                for (int k = 0; k < vector.Length; k++)
                {
                    vector[k] = (float)(vector[k] * s);
                }
                return;
            }
            scale = (float)s;
        }
        Scale(vector, scale);
    }

    /// <summary>True when no element is NaN or ±∞ (an empty span is finite). Used to validate user input.</summary>
    public static bool IsFinite(ReadOnlySpan<float> values)
    {
        ref uint p = ref Unsafe.As<float, uint>(ref MemoryMarshal.GetReference(values));
        nuint n = (nuint)values.Length, i = 0;
        // A float is non-finite exactly when all its exponent bits are set; max over (bits & mask) reaches the mask then.
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<uint>.Count)
        {
            nuint w = (nuint)Vector512<uint>.Count;
            Vector512<uint> mask = Vector512.Create(ExponentMask), acc = Vector512<uint>.Zero;
            for (; i + w <= n; i += w)
            {
                acc = Vector512.Max(acc, Vector512.LoadUnsafe(ref p, i) & mask);
            }
            acc = Vector512.Max(acc, Vector512.LoadUnsafe(ref p, n - w) & mask); // overlapping last vector: rechecking is harmless
            return !Vector512.EqualsAny(acc, mask);
        }
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<uint>.Count)
        {
            nuint w = (nuint)Vector256<uint>.Count;
            Vector256<uint> mask = Vector256.Create(ExponentMask), acc = Vector256<uint>.Zero;
            for (; i + w <= n; i += w)
            {
                acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref p, i) & mask);
            }
            acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref p, n - w) & mask);
            return !Vector256.EqualsAny(acc, mask);
        }
        for (; i < n; i++)
        {
            if ((Unsafe.Add(ref p, i) & ExponentMask) == ExponentMask)
            {
                return false;
            }
        }
        return true;
    }

    private static void Scale(Span<float> vector, float scale)
    {
        ref float p = ref MemoryMarshal.GetReference(vector);
        nuint n = (nuint)vector.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector512<float>.Count;
            for (; i + w <= n; i += w)
            {
                (Vector512.LoadUnsafe(ref p, i) * scale).StoreUnsafe(ref p, i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            nuint w = (nuint)Vector256<float>.Count;
            for (; i + w <= n; i += w)
            {
                (Vector256.LoadUnsafe(ref p, i) * scale).StoreUnsafe(ref p, i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref p, i) *= scale;
        }
    }
}
