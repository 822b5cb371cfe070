using Grape.Core.Collections;
using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public class MaxSimKernelTests
{
    /// <summary>max_sim from its definition, in double: Σ over query rows of the best raw similarity over stored rows.</summary>
    internal static double NaiveMaxSim(Distance d, float[] query, float[] stored, int dim)
    {
        double sum = 0;
        for (int q = 0; q < query.Length; q += dim)
        {
            double best = double.NegativeInfinity;
            for (int s = 0; s < stored.Length; s += dim)
            {
                double sim = 0;
                for (int i = 0; i < dim; i++)
                {
                    double a = query[q + i], b = stored[s + i];
                    sim += d switch { Distance.Euclid => -(a - b) * (a - b), Distance.Manhattan => -Math.Abs(a - b), _ => a * b };
                }
                best = Math.Max(best, sim);
            }
            sum += best;
        }
        return sum;
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void Max_sim_equals_the_naive_reference(Distance distance)
    {
        var r = new Random(7);
        foreach (int dim in new[] { 1, 3, 8, 16, 17, 64, 129 })
        {
            for (int trial = 0; trial < 10; trial++)
            {
                var q = Rows(r, 1 + r.Next(6), dim);
                var s = Rows(r, 1 + r.Next(9), dim);
                if (distance == Distance.Cosine)
                {
                    MaxSimKernel.Preprocess(distance, q, dim);
                    MaxSimKernel.Preprocess(distance, s, dim);
                }
                double want = NaiveMaxSim(distance, q, s, dim);
                float got = MaxSimKernel.Similarity(distance, q, s, dim);
                Assert.True(Math.Abs(want - got) <= 1e-5 * Math.Max(1, Math.Abs(want)), $"dim {dim}: want {want}, got {got}");
            }
        }
    }

    [Fact]
    public void Cosine_preprocessing_normalizes_each_sub_vector()
    {
        float[] flat = [3, 4, 0, 0, 0, 2];
        MaxSimKernel.Preprocess(Distance.Cosine, flat, 2);
        Assert.Equal([0.6f, 0.8f, 0, 0, 0, 1], flat);
    }

    [Fact]
    public void Max_sim_is_not_symmetric_it_sums_over_the_query_rows()
    {
        float[] one = [1, 0];
        float[] two = [1, 0, 0, 1];
        Assert.Equal(1f, MaxSimKernel.Similarity(Distance.Dot, one, two, 2));
        Assert.Equal(1f, MaxSimKernel.Similarity(Distance.Dot, two, one, 2)); // rows (1,0)·(1,0) = 1 and (0,1)·(1,0) = 0
        Assert.Equal(2f, MaxSimKernel.Similarity(Distance.Dot, two, two, 2));
    }

    internal static float[] Rows(Random r, int rows, int dim)
    {
        var v = new float[rows * dim];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(r.NextDouble() * 2 - 1);
        return v;
    }
}
