namespace Grape.Bench.Workloads;

/// <summary>Seeded synthetic vectors shared by the workloads that make their own data.</summary>
internal static class SyntheticVectors
{
    /// <summary>A vector of <paramref name="dim"/> normal components (Box–Muller) with deviation
    /// <paramref name="sigma"/>, around <paramref name="centre"/> or the origin.</summary>
    public static float[] Gaussian(Random rnd, int dim, float sigma, float[]? centre)
    {
        var v = new float[dim];
        for (int d = 0; d < dim; d++)
        {
            double u1 = 1 - rnd.NextDouble(), u2 = rnd.NextDouble();
            double g = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            v[d] = (float)(g * sigma) + (centre?[d] ?? 0f);
        }
        return v;
    }
}
