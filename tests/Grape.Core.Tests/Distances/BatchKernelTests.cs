using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public unsafe class BatchKernelTests
{
    [Fact]
    public void Four_way_similarities_match_the_double_reference_at_every_length()
    {
        var random = new Random(4242);
        float* dot = stackalloc float[4], euclid = stackalloc float[4], manhattan = stackalloc float[4];
        for (int n = 1; n <= 1000; n++)
        {
            float[] q = Random(random, n), a = Random(random, n), b = Random(random, n), c = Random(random, n), d = Random(random, n);
            float[][] rows = [a, b, c, d];
            fixed (float* pq = q, pa = a, pb = b, pc = c, pd = d)
            {
                DotSimilarity.Similarity4(pq, pa, pb, pc, pd, n, dot);
                EuclidSimilarity.Similarity4(pq, pa, pb, pc, pd, n, euclid);
                ManhattanSimilarity.Similarity4(pq, pa, pb, pc, pd, n, manhattan);
            }
            for (int r = 0; r < 4; r++)
            {
                KernelAssert.Close(NaiveDistances.Dot(q, rows[r]), dot[r], NaiveDistances.DotMagnitude(q, rows[r]), n, r);
                double l2 = NaiveDistances.SquaredL2(q, rows[r]);
                KernelAssert.Close(-l2, euclid[r], l2, n, r);
                double l1 = NaiveDistances.L1(q, rows[r]);
                KernelAssert.Close(-l1, manhattan[r], l1, n, r);
            }
        }
    }

    [Fact]
    public void Counts_every_element_exactly_once_in_each_lane()
    {
        // Integers are exact in float: a chunk counted twice, skipped or taken from the wrong row shows as a wrong sum.
        float* s = stackalloc float[4];
        foreach (int n in new[] { 8, 16, 24, 32, 128, 784, 800 })
        {
            float[] q = new float[n], a = new float[n], b = new float[n], c = new float[n], d = new float[n];
            for (int i = 0; i < n; i++)
            {
                q[i] = 1;
                a[i] = 1;
                b[i] = 2;
                c[i] = i % 3;
                d[i] = -1;
            }
            fixed (float* pq = q, pa = a, pb = b, pc = c, pd = d) DotSimilarity.Similarity4(pq, pa, pb, pc, pd, n, s);
            Assert.Equal(n, s[0]);
            Assert.Equal(2 * n, s[1]);
            Assert.Equal(c.Sum(), s[2]);
            Assert.Equal(-n, s[3]);
        }
    }

    private static float[] Random(Random random, int n)
    {
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)((random.NextDouble() * 2) - 1);
        return v;
    }
}
