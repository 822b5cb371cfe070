using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public class DotKernelTests
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
        var random = new Random(1000 + offset);
        for (int n = 1; n <= 2000; n++)
        {
            Span<float> a = NaiveDistances.PoisonedRandom(random, n, offset);
            Span<float> b = NaiveDistances.PoisonedRandom(random, n, (offset * 7) % 16);
            float actual = DotKernel.Dot(a, b);
            KernelAssert.Close(NaiveDistances.Dot(a, b), actual, NaiveDistances.DotMagnitude(a, b), n, offset);
        }
    }

    [Fact]
    public void Empty_spans_give_zero() => Assert.Equal(0f, DotKernel.Dot([], []));

    [Fact]
    public void Counts_every_element_exactly_once()
    {
        // Integers are exact in float: any lane counted twice or dropped (tail mask, unrolling) shows as a wrong sum.
        for (int n = 1; n <= 300; n++)
        {
            float[] a = new float[n], b = new float[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = i + 1;
                b[i] = 1;
            }
            Assert.Equal(n * (n + 1) / 2f, DotKernel.Dot(a, b));
        }
    }
}
