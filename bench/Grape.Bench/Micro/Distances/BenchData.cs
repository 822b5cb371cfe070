namespace Grape.Bench.Micro.Distances;

internal static class BenchData
{
    public static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2f) - 1f;
        }
        return values;
    }
}
