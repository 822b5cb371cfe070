using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public class L2KernelTests
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
        var random = new Random(2000 + offset);
        for (int n = 1; n <= 2000; n++)
        {
            Span<float> a = NaiveDistances.PoisonedRandom(random, n, offset);
            Span<float> b = NaiveDistances.PoisonedRandom(random, n, (offset * 7) % 16, scale: 3f);
            double expected = NaiveDistances.SquaredL2(a, b);
            KernelAssert.Close(expected, L2Kernel.SquaredDistance(a, b), expected, n, offset);
        }
    }

    [Fact]
    public void Identical_vectors_are_at_distance_zero()
    {
        var random = new Random(7);
        for (int n = 1; n <= 200; n++)
        {
            Span<float> a = NaiveDistances.PoisonedRandom(random, n, 0);
            Assert.Equal(0f, L2Kernel.SquaredDistance(a, a));
        }
    }

    [Fact]
    public void Counts_every_element_exactly_once()
    {
        for (int n = 1; n <= 300; n++)
        {
            float[] a = new float[n], b = new float[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = i % 7;
                b[i] = (i % 7) + 1 + (i % 2); // difference 1 or 2
            }
            float expected = 0;
            for (int i = 0; i < n; i++)
            {
                expected += (1 + (i % 2)) * (1 + (i % 2));
            }
            Assert.Equal(expected, L2Kernel.SquaredDistance(a, b));
        }
    }
}
