namespace Grape.Core.Tests.Distances;

/// <summary>Scalar double-precision references the kernels are checked against.</summary>
internal static class NaiveDistances
{
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }
        return sum;
    }

    /// <summary>Σ |a·b|: the scale of the rounding error of a float dot product (the dot itself may cancel to ~0).</summary>
    public static double DotMagnitude(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs((double)a[i] * b[i]);
        }
        return sum;
    }

    public static double SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            sum += d * d;
        }
        return sum;
    }

    public static double L1(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += Math.Abs((double)a[i] - b[i]);
        }
        return sum;
    }

    /// <summary>
    /// A span of <paramref name="length"/> random values in [-scale, scale) starting <paramref name="offset"/> floats into
    /// a buffer whose other floats are NaN, so any read outside the span poisons the result.
    /// </summary>
    public static Span<float> PoisonedRandom(Random random, int length, int offset, float scale = 1f)
    {
        var buffer = new float[offset + length + 32];
        buffer.AsSpan().Fill(float.NaN);
        Span<float> span = buffer.AsSpan(offset, length);
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = ((random.NextSingle() * 2f) - 1f) * scale;
        }
        return span;
    }
}
