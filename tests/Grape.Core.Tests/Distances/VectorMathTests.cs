using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public class VectorMathTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Normalize_gives_unit_length_in_the_same_direction_at_every_length(int offset)
    {
        var random = new Random(4000 + offset);
        for (int n = 1; n <= 2000; n++)
        {
            Span<float> v = NaiveDistances.PoisonedRandom(random, n, offset, scale: 10f);
            float[] original = v.ToArray();
            double norm = Math.Sqrt(NaiveDistances.Dot(original, original));
            VectorMath.Normalize(v);
            for (int i = 0; i < n; i++)
            {
                double expected = original[i] / norm;
                Assert.True(Math.Abs(v[i] - expected) <= 1e-5, $"length {n}, index {i}: expected {expected}, got {v[i]}");
            }
            KernelAssert.Close(1.0, (float)Math.Sqrt(NaiveDistances.Dot(v, v)), 1.0, n, offset);
        }
    }

    [Fact]
    public void Normalize_leaves_a_zero_vector_zero()
    {
        for (int n = 1; n <= 70; n++)
        {
            var v = new float[n];
            VectorMath.Normalize(v);
            Assert.All(v, x => Assert.Equal(0f, x));
        }
    }

    [Theory]
    [InlineData(1e30f)]
    [InlineData(1e-30f)]
    [InlineData(1e-42f)] // subnormal
    public void Normalize_handles_magnitudes_whose_float_square_overflows_or_underflows(float magnitude)
    {
        float[] v = new float[37];
        v[3] = 3 * magnitude;
        v[30] = -4 * magnitude;
        VectorMath.Normalize(v);
        Assert.Equal(0.6, v[3], 1e-5);
        Assert.Equal(-0.8, v[30], 1e-5);
        Assert.Equal(0f, v[0]);
    }

    [Fact]
    public void IsFinite_is_true_for_finite_values_and_ignores_neighbours_outside_the_span()
    {
        var random = new Random(5);
        Assert.True(VectorMath.IsFinite([]));
        for (int n = 1; n <= 300; n++)
        {
            Span<float> v = NaiveDistances.PoisonedRandom(random, n, n % 4, scale: float.MaxValue);
            v[0] = float.MaxValue;
            v[^1] = -float.Epsilon;
            Assert.True(VectorMath.IsFinite(v), $"length {n}");
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void IsFinite_finds_a_non_finite_value_at_every_position(float bad)
    {
        for (int n = 1; n <= 150; n++)
        {
            var v = new float[n];
            v.AsSpan().Fill(-1.5f);
            for (int position = 0; position < n; position++)
            {
                v[position] = bad;
                Assert.False(VectorMath.IsFinite(v), $"length {n}, position {position}");
                v[position] = -1.5f;
            }
            Assert.True(VectorMath.IsFinite(v));
        }
    }

    [Fact]
    public void IsFinite_finds_a_negative_nan_payload()
    {
        float negativeNan = BitConverter.UInt32BitsToSingle(0xFFC0_0001u);
        var v = new float[40];
        v[39] = negativeNan;
        Assert.False(VectorMath.IsFinite(v));
    }
}
