using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public unsafe class ByteKernelTests
{
    private static byte[] Bytes(Random random, int n, int max)
    {
        var b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte)random.Next(max + 1);
        return b;
    }

    [Theory]
    [InlineData(255)]
    [InlineData(3)]
    public void Integer_sums_are_exact_at_every_length(int max)
    {
        var random = new Random(11 + max);
        foreach (int n in Enumerable.Range(1, 300).Concat([511, 1000, 1536, 4099, 65536]))
        {
            byte[] a = Bytes(random, n, max), b = Bytes(random, n, max);
            long dot = 0, l2 = 0, l1 = 0, na = 0, nb = 0;
            for (int i = 0; i < n; i++)
            {
                dot += a[i] * b[i];
                l2 += (a[i] - b[i]) * (a[i] - b[i]);
                l1 += Math.Abs(a[i] - b[i]);
                na += a[i] * a[i];
                nb += b[i] * b[i];
            }
            fixed (byte* pa = a, pb = b)
            {
                Assert.Equal(dot, ByteKernel.Dot(pa, pb, n));
                Assert.Equal(l2, ByteKernel.SquaredDistance(pa, pb, n));
                Assert.Equal(l1, ByteKernel.L1(pa, pb, n));
                Assert.Equal((dot, na, nb), ByteKernel.DotAndNorms(pa, pb, n));
                float cosine = na == 0 || nb == 0 ? 0f : dot / MathF.Sqrt(na * (float)nb);
                Assert.Equal(cosine, ByteKernel.Cosine(pa, pb, n));
            }
        }
    }

    [Fact]
    public void All_255_at_the_largest_dimension_does_not_overflow()
    {
        const int n = 65536;
        var a = Enumerable.Repeat((byte)255, n).ToArray();
        var z = new byte[n];
        fixed (byte* pa = a, pz = z)
        {
            Assert.Equal(65025L * n, ByteKernel.Dot(pa, pa, n));
            Assert.Equal(65025L * n, ByteKernel.SquaredDistance(pa, pz, n));
            Assert.Equal(255L * n, ByteKernel.L1(pa, pz, n));
            Assert.Equal(0f, ByteKernel.Cosine(pa, pz, n)); // a zero vector: Qdrant's 0
            Assert.Equal(1f, ByteKernel.Cosine(pa, pa, n), 1e-6f);
        }
    }
}
