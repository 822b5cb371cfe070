using Grape.Core.Errors;
using Grape.Core.Points;

namespace Grape.Core.Query;

/// <summary>Qdrant's fusions of ranked lists: reciprocal rank fusion and distribution-based score fusion.</summary>
internal static class RankFusion
{
    /// <summary>Qdrant's default k: mitigates the weight of top ranks from an outlier list.</summary>
    public const int DefaultRrfK = 2;

    /// <summary>
    /// RRF: each list adds 1 / ((rank + 1) / weight + k − 1) for a point at 0-based rank (1 / (rank + k) with weight 1;
    /// a weight ≤ 0 adds nothing). Only the order of each list matters. Best first; ties by id.
    /// </summary>
    public static List<Candidate> Rrf(IReadOnlyList<List<Candidate>> sources, int k, IReadOnlyList<float>? weights)
    {
        if (weights is not null && weights.Count != sources.Count)
            throw new BadRequestException($"Wrong input: Validation failed: Number of weights in RRF should match number of pre-fetches: got {weights.Count}, expected {sources.Count}");
        var fused = new Dictionary<PointId, Candidate>();
        for (int s = 0; s < sources.Count; s++)
        {
            float weight = weights?[s] ?? 1f;
            var list = sources[s];
            for (int rank = 0; rank < list.Count; rank++)
            {
                float score = weight <= 0f ? 0f : 1f / ((rank + 1) / weight + k - 1f);
                Accumulate(fused, list[rank], score);
            }
        }
        return Sorted(fused);
    }

    /// <summary>
    /// DBSF: each list's scores are mapped to (score − (μ − 3σ)) / 6σ with the sample standard deviation (a single
    /// point gets 0.5, equal bounds give 0.5), then summed per point. Best first; ties by id.
    /// </summary>
    public static List<Candidate> Dbsf(IReadOnlyList<List<Candidate>> sources)
    {
        var fused = new Dictionary<PointId, Candidate>();
        foreach (var list in sources)
        {
            if (list.Count == 0) continue;
            if (list.Count == 1) { Accumulate(fused, list[0], 0.5f); continue; }
            // Welford's one-pass mean and variance in f32, as Qdrant computes them.
            float mean = 0f, aggregate = 0f;
            for (int i = 0; i < list.Count; i++)
            {
                float oldDelta = list[i].Score - mean;
                mean += oldDelta / (i + 1);
                aggregate += oldDelta * (list[i].Score - mean);
            }
            float stdDev = MathF.Sqrt(aggregate / (list.Count - 1f));
            float min = mean - 3f * stdDev, max = mean + 3f * stdDev;
            foreach (var c in list)
                Accumulate(fused, c, min == max ? 0.5f : (c.Score - min) / (max - min));
        }
        return Sorted(fused);
    }

    private static void Accumulate(Dictionary<PointId, Candidate> fused, Candidate c, float score)
    {
        if (fused.TryGetValue(c.Id, out var existing)) fused[c.Id] = existing with { Score = existing.Score + score };
        else fused[c.Id] = c with { Score = score, Order = null };
    }

    private static List<Candidate> Sorted(Dictionary<PointId, Candidate> fused)
    {
        var list = new List<Candidate>(fused.Values);
        list.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var c && c != 0 ? c : a.Id.CompareTo(b.Id));
        return list;
    }
}
