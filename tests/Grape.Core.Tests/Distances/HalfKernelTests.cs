using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public unsafe class HalfKernelTests
{
    private static ushort[] Halves(Random random, int n, float scale)
    {
        var h = new ushort[n];
        for (int i = 0; i < n; i++) h[i] = BitConverter.HalfToUInt16Bits((Half)((float)(random.NextDouble() * 2 - 1) * scale));
        return h;
    }

    private static double Value(ushort h) => (double)BitConverter.UInt16BitsToHalf(h);

    // The reference decodes with .NET's own Half conversion, so the kernel's integer widening is checked against it.
    private static (double Dot, double L2, double L1, double Magnitude) Naive(ushort[] a, ushort[] b)
    {
        double dot = 0, l2 = 0, l1 = 0, magnitude = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = Value(a[i]), y = Value(b[i]);
            dot += x * y;
            l2 += (x - y) * (x - y);
            l1 += Math.Abs(x - y);
            magnitude += Math.Abs(x * y);
        }
        return (dot, l2, l1, magnitude);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(1000f)]
    [InlineData(1e-5f)] // subnormal halves (below 6.1e-5)
    public void Matches_the_double_reference_at_every_length(float scale)
    {
        var random = new Random(7);
        foreach (int n in Enumerable.Range(1, 300).Concat([511, 1000, 1536, 4099]))
        {
            ushort[] a = Halves(random, n, scale), b = Halves(random, n, scale);
            var (dot, l2, l1, magnitude) = Naive(a, b);
            fixed (ushort* pa = a, pb = b)
            {
                KernelAssert.Close(dot, HalfKernel.Dot(pa, pb, n), magnitude, n, 0);
                KernelAssert.Close(l2, HalfKernel.SquaredDistance(pa, pb, n), l2, n, 0);
                KernelAssert.Close(l1, HalfKernel.L1(pa, pb, n), l1, n, 0);
            }
        }
    }

    [Fact]
    public void Widening_is_exact_for_every_finite_half()
    {
        // dot(x, 1) over one lane-width block holding x exercises the vector path per value: every finite half, both signs.
        var one = Enumerable.Repeat(BitConverter.HalfToUInt16Bits((Half)1f), 32).ToArray();
        var block = new ushort[32];
        fixed (ushort* pa = block, pb = one)
        {
            for (int bits = 0; bits < 0x10000; bits++)
            {
                Half h = BitConverter.UInt16BitsToHalf((ushort)bits);
                if (!Half.IsFinite(h)) continue;
                block[bits & 31] = (ushort)bits;
                float got = HalfKernel.Dot(pa, pb, 32);
                Assert.Equal((float)h, got);
                block[bits & 31] = 0;
            }
        }
    }
}
