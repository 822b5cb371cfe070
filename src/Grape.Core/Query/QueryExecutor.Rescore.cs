using Grape.Core.Points;

namespace Grape.Core.Query;

// Stages with prefetches: the outer query re-scores the union of the prefetched points or fuses their lists.
internal sealed partial class QueryExecutor
{
    private List<Candidate> Rescore(Stage stage, List<List<Candidate>> sources)
    {
        switch (stage.Query)
        {
            case ScoringQuery.Fusion f:
                LastMethod = f.Kind == FusionKind.Rrf ? "rrf fusion" : "dbsf fusion";
                return Cut(f.Kind == FusionKind.Rrf ? RankFusion.Rrf(sources, RankFusion.DefaultRrfK, null) : RankFusion.Dbsf(sources), stage);
            case ScoringQuery.Rrf r:
                LastMethod = "rrf fusion";
                return Cut(RankFusion.Rrf(sources, r.K ?? RankFusion.DefaultRrfK, r.Weights), stage);
            case ScoringQuery.Formula f:
                LastMethod = "formula";
                return FormulaRescore(FormulaEvaluator.Create(f), sources, stage.Limit, stage.ScoreThreshold);
            case ScoringQuery.OrderByQuery o:
                LastMethod = "order_by over prefetched points";
                return OrderByScan(o.OrderBy, null, stage.Limit, Union(sources));
            case ScoringQuery.Sample:
                LastMethod = "random sample of prefetched points";
                return SampleScan(null, stage.Limit, Union(sources));
            case ScoringQuery.Nearest { Mmr: { } mmr } n:
                {
                    // Qdrant: nearest over the candidates (candidates_limit of them), then MMR picks the final list; a nested
                    // prefetch applies MMR to all its candidates directly.
                    var scorer = PrepareVectorQuery(stage with { Query = n with { Mmr = null } });
                    if (!stage.IsRoot) return MaximalMarginalRelevance(Flatten(sources), scorer, mmr, stage.Limit);
                    var nearest = VectorRescore(scorer, Union(sources), mmr.CandidatesLimit ?? stage.Limit, stage.ScoreThreshold);
                    return MaximalMarginalRelevance(nearest, scorer, mmr, stage.Limit);
                }
            default:
                return VectorRescore(PrepareVectorQuery(stage), Union(sources), stage.Limit, stage.ScoreThreshold);
        }
    }

    /// <summary>Fusion keeps the fused points scoring at least the threshold, then the first <c>limit</c>.</summary>
    private static List<Candidate> Cut(List<Candidate> fused, Stage stage)
    {
        if (stage.ScoreThreshold is { } t)
        {
            int keep = fused.FindIndex(c => c.Score < t);
            if (keep >= 0) fused.RemoveRange(keep, fused.Count - keep);
        }
        if (fused.Count > stage.Limit) fused.RemoveRange(stage.Limit, fused.Count - stage.Limit);
        return fused;
    }

    private static Dictionary<PointId, Candidate> Union(List<List<Candidate>> sources)
    {
        var union = new Dictionary<PointId, Candidate>();
        foreach (var list in sources)
            foreach (var c in list) union.TryAdd(c.Id, c);
        return union;
    }

    private static List<Candidate> Flatten(List<List<Candidate>> sources)
    {
        var seen = new HashSet<PointId>();
        var all = new List<Candidate>();
        foreach (var list in sources)
            foreach (var c in list)
                if (seen.Add(c.Id)) all.Add(c);
        return all;
    }

    /// <summary>Scores each prefetched point with its stored vector (points without the vector drop out); best k, ties by id.</summary>
    private List<Candidate> VectorRescore(VectorScorer scorer, Dictionary<PointId, Candidate> candidates, int k, float? threshold)
    {
        LastMethod = scorer.IsNearest ? "rescore by vector" : "rescore by custom score";
        float minRank = scorer.MinRank(threshold);
        var ranked = new List<(float Rank, Candidate Point)>(candidates.Count);
        float[]? scratch = null; // float16/uint8 columns decode into it, not into an array per candidate
        foreach (var c in candidates.Values)
        {
            if (!c.Segment.HasVector(c.Offset, scorer.Column)) continue;
            float rank = scorer.Rank(c.Segment.GetVector(c.Offset, scorer.Column, ref scratch));
            if (float.IsNaN(rank) || rank < minRank) continue;
            ranked.Add((rank, c));
        }
        ranked.Sort(static (a, b) => b.Rank.CompareTo(a.Rank) is var x && x != 0 ? x : a.Point.Id.CompareTo(b.Point.Id));
        var result = new List<Candidate>(Math.Min(k, ranked.Count));
        for (int i = 0; i < ranked.Count && i < k; i++)
        {
            var c = ranked[i].Point;
            result.Add(new Candidate(c.Id, scorer.ToScore(ranked[i].Rank), c.Segment, c.Offset, c.Segment.GetVersion(c.Offset)));
        }
        return result;
    }

    /// <summary>Qdrant's formula rescoring: every prefetched point scored by the formula, kept if ≥ the threshold, best k.</summary>
    private List<Candidate> FormulaRescore(FormulaEvaluator formula, List<List<Candidate>> sources, int k, float? threshold)
    {
        var scores = new List<Dictionary<PointId, float>>(sources.Count);
        foreach (var list in sources)
        {
            var map = new Dictionary<PointId, float>(list.Count);
            foreach (var c in list) map.TryAdd(c.Id, c.Score);
            scores.Add(map);
        }
        var ranked = new List<Candidate>();
        foreach (var c in Union(sources).Values)
        {
            _ct.ThrowIfCancellationRequested();
            float score = formula.Score(c.Id, c.Segment, c.Offset, Specs, scores);
            if (threshold is { } t && !(score >= t)) continue;
            ranked.Add(new Candidate(c.Id, score, c.Segment, c.Offset, c.Segment.GetVersion(c.Offset)));
        }
        ranked.Sort(static (a, b) => b.Score.CompareTo(a.Score) is var x && x != 0 ? x : a.Id.CompareTo(b.Id));
        if (ranked.Count > k) ranked.RemoveRange(k, ranked.Count - k);
        return ranked;
    }

    /// <summary>
    /// Qdrant's maximal marginal relevance: start from the most relevant candidate, then repeatedly take the one
    /// maximising λ·sim(query) − (1 − λ)·max sim(chosen) with λ = 1 − diversity. Similarities are raw (higher is
    /// closer); the reported scores stay the candidates' own. Ties go to the later candidate in Qdrant's iteration
    /// order (an index set with swap-removal), reproduced here.
    /// </summary>
    private List<Candidate> MaximalMarginalRelevance(List<Candidate> candidates, VectorScorer scorer, Mmr mmr, int limit)
    {
        LastMethod = "mmr";
        var points = new List<Candidate>(candidates.Count);
        var vectors = new List<float[]>(candidates.Count);
        foreach (var c in candidates)
        {
            if (!c.Segment.HasVector(c.Offset, scorer.Column)) continue; // Qdrant silently drops points without the vector
            points.Add(c);
            vectors.Add(c.Segment.GetVector(c.Offset, scorer.Column).ToArray());
        }
        if (points.Count < 2) return points;
        float lambda = mmr.Diversity is { } d ? 1f - d : 0.5f;
        int n = points.Count;
        var relevance = new float[n];
        for (int i = 0; i < n; i++) relevance[i] = scorer.Similarity(scorer.NearestVector, vectors[i]);
        var maxToSelected = new float[n];
        Array.Fill(maxToSelected, float.NegativeInfinity);
        var remaining = new List<int>(n);
        for (int i = 0; i < n; i++) remaining.Add(i);
        var selected = new List<int>(Math.Min(limit, n));

        int Take(int position)
        {
            int chosen = remaining[position];
            remaining[position] = remaining[^1];
            remaining.RemoveAt(remaining.Count - 1);
            selected.Add(chosen);
            for (int r = 0; r < remaining.Count; r++)
            {
                int other = remaining[r];
                maxToSelected[other] = MathF.Max(maxToSelected[other], scorer.Similarity(vectors[chosen], vectors[other]));
            }
            return chosen;
        }

        int first = 0;
        for (int r = 1; r < remaining.Count; r++) if (relevance[remaining[r]] >= relevance[remaining[first]]) first = r;
        Take(first);
        while (selected.Count < limit && remaining.Count > 0)
        {
            int best = 0;
            float bestScore = float.NegativeInfinity;
            for (int r = 0; r < remaining.Count; r++)
            {
                int i = remaining[r];
                float score = lambda * relevance[i] - (1f - lambda) * maxToSelected[i];
                if (r == 0 || score >= bestScore) { best = r; bestScore = score; }
            }
            Take(best);
        }
        var result = new List<Candidate>(selected.Count);
        foreach (int i in selected) result.Add(points[i]);
        return result;
    }

    private static string Describe(ScoringQuery? q) => q switch
    {
        null => "none",
        ScoringQuery.Nearest { Mmr: not null } => "nearest+mmr",
        ScoringQuery.Nearest => "nearest",
        ScoringQuery.Recommend r => $"recommend({r.Strategy})",
        ScoringQuery.Discover => "discover",
        ScoringQuery.Context => "context",
        ScoringQuery.OrderByQuery => "order_by",
        ScoringQuery.Fusion f => $"fusion({f.Kind})",
        ScoringQuery.Rrf => "rrf",
        ScoringQuery.Formula => "formula",
        ScoringQuery.Sample => "sample",
        _ => q.GetType().Name,
    };
}
