using Grape.Core.Collections;

namespace Grape.Core.Tests.TestKit;

/// <summary>Brute-force references computed in double precision, independent of the engine's kernels.</summary>
public static class Naive
{
    /// <summary>Qdrant's reported score for a stored vector against a query (cosine over normalized copies).</summary>
    public static double Score(Distance d, float[] query, float[] stored)
    {
        switch (d)
        {
            case Distance.Cosine:
            {
                double nq = Math.Sqrt(query.Sum(x => (double)x * x)), ns = Math.Sqrt(stored.Sum(x => (double)x * x));
                double dot = 0;
                for (int i = 0; i < query.Length; i++) dot += (double)query[i] * stored[i];
                return nq == 0 || ns == 0 ? 0 : dot / (nq * ns);
            }
            case Distance.Dot:
            {
                double dot = 0;
                for (int i = 0; i < query.Length; i++) dot += (double)query[i] * stored[i];
                return dot;
            }
            case Distance.Euclid:
            {
                double s = 0;
                for (int i = 0; i < query.Length; i++) { double x = (double)query[i] - stored[i]; s += x * x; }
                return Math.Sqrt(s);
            }
            default:
            {
                double s = 0;
                for (int i = 0; i < query.Length; i++) s += Math.Abs((double)query[i] - stored[i]);
                return s;
            }
        }
    }

    public static bool HigherIsBetter(Distance d) => d is Distance.Cosine or Distance.Dot;

    /// <summary>The top <paramref name="k"/> (id, score) pairs, best first, ties by lower id.</summary>
    public static List<(ulong Id, double Score)> TopK(Distance d, IReadOnlyDictionary<ulong, float[]> points, float[] query, int k)
    {
        var scored = points.Select(p => (p.Key, Score(d, query, p.Value))).ToList();
        scored.Sort((a, b) =>
        {
            int c = HigherIsBetter(d) ? b.Item2.CompareTo(a.Item2) : a.Item2.CompareTo(b.Item2);
            return c != 0 ? c : a.Key.CompareTo(b.Key);
        });
        return scored.Take(k).ToList();
    }
}
