using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public class L1KernelTests
{
    // Offsets 0..15 floats put the start at every position within a 64-byte line: every head size of the aligned loop.
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(15)]
    public void Matches_the_double_reference_at_every_length(int offset)
    {
        var random = new Random(3000 + offset);
        for (int n = 1; n <= 2000; n++)
        {
            Span<float> a = NaiveDistances.PoisonedRandom(random, n, offset, scale: 5f);
            Span<float> b = NaiveDistances.PoisonedRandom(random, n, (offset * 7) % 16);
            double expected = NaiveDistances.L1(a, b);
            KernelAssert.Close(expected, L1Kernel.Distance(a, b), expected, n, offset);
        }
    }

    [Fact]
    public void Is_symmetric_and_counts_negative_differences()
    {
        for (int n = 1; n <= 300; n++)
        {
            float[] a = new float[n], b = new float[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = (i % 2 == 0) ? 3 : -3;
                b[i] = 0;
            }
            Assert.Equal(3f * n, L1Kernel.Distance(a, b));
            Assert.Equal(3f * n, L1Kernel.Distance(b, a));
        }
    }
}
