using Grape.Core.Collections.Shards;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Core.Primitives;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Query;

// Stages without prefetches: they read the whole collection (under their filter).
internal sealed partial class QueryExecutor
{
    /// <summary>How the stage that just ran was answered, for explain.</summary>
    private string LastMethod { get; set; } = "";

    private List<Candidate> Leaf(Stage stage, Filter? filter)
    {
        var evaluator = Compile(filter);
        switch (stage.Query)
        {
            case null:
                LastMethod = "scroll by id";
                return ScrollById(evaluator, stage.Limit);
            case ScoringQuery.Fusion or ScoringQuery.Rrf:
                throw new BadRequestException("Wrong input: Validation failed: cannot apply Fusion without prefetches");
            case ScoringQuery.Formula:
                throw new BadRequestException("Wrong input: Validation failed: cannot apply Formula without prefetches");
            case ScoringQuery.OrderByQuery o:
                LastMethod = "order_by scan";
                return OrderByScan(o.OrderBy, evaluator, stage.Limit, restrictTo: null);
            case ScoringQuery.Sample:
                LastMethod = "random sample";
                return SampleScan(evaluator, stage.Limit, restrictTo: null);
            case ScoringQuery.Nearest { Mmr: { } mmr } n:
                {
                    // Qdrant: the nearest `candidates_limit` points; MMR picks among them only at the top level.
                    var scorer = (VectorScorer)PrepareVectorQuery(stage with { Query = n with { Mmr = null } });
                    var candidates = Nearest(scorer, evaluator, mmr.CandidatesLimit ?? stage.Limit, stage.ScoreThreshold, stage.Params);
                    return stage.IsRoot ? MaximalMarginalRelevance(candidates, scorer, mmr, stage.Limit) : candidates;
                }
            default:
                {
                    var scorer = PrepareVectorQuery(stage);
                    return scorer.IsNearest
                        ? Nearest(scorer, evaluator, stage.Limit, stage.ScoreThreshold, stage.Params)
                        : RankedSearch(scorer, evaluator, stage.Limit, stage.ScoreThreshold, stage.Params);
                }
        }
    }

    private List<Candidate> Nearest(VectorScorer scorer, FilterEvaluator? filter, int k, float? threshold, Embedded.SearchParams? p)
    {
        LastMethod = "vector search";
        var hits = _collection.NearestHits(_set, scorer.Column, scorer.Distance, scorer.NearestVector, k, filter, scorer.MinRank(threshold), p, _ct);
        var result = new List<Candidate>(hits.Count);
        foreach (var h in hits)
            result.Add(new Candidate(h.Segment.GetId(h.Offset), scorer.ToScore(h.Similarity), h.Segment, h.Offset, h.Segment.GetVersion(h.Offset)));
        return result;
    }

    /// <summary>
    /// The best k live points by a custom (recommend/discover/context) score, ties by id: through each segment's HNSW
    /// graph with the search params (as Qdrant), exactly where a segment has none or <c>exact</c> is asked.
    /// </summary>
    private List<Candidate> RankedSearch(VectorScorer scorer, FilterEvaluator? filter, int k, float? threshold, Embedded.SearchParams? p)
    {
        var hits = _collection.RankedHits(_set, scorer.Column, scorer, k, filter, scorer.MinRank(threshold), p, out bool usedGraph, _ct);
        LastMethod = usedGraph ? "graph search (custom score)" : "exact scan (custom score)";
        var result = new List<Candidate>(hits.Count);
        foreach (var h in hits)
            result.Add(new Candidate(h.Segment.GetId(h.Offset), scorer.ToScore(h.Similarity), h.Segment, h.Offset, h.Segment.GetVersion(h.Offset)));
        return result;
    }

    /// <summary>Points in id order (a query with neither query nor prefetch); Qdrant reports them with score 1 and version 0.</summary>
    private List<Candidate> ScrollById(FilterEvaluator? filter, int limit)
    {
        var page = _collection.Shard.ScrollIds(_set, null, limit, filter, _ct);
        var result = new List<Candidate>(Math.Min(limit, page.Count));
        for (int i = 0; i < page.Count && i < limit; i++) result.Add(new Candidate(page[i].Id, 1f, page[i].Segment, page[i].Offset, 0));
        return result;
    }

    /// <summary>Every live point (its newest copy) matching the filter and, when given, among <paramref name="restrictTo"/>.</summary>
    private IEnumerable<(PointId Id, Segment Segment, uint Offset)> LivePoints(FilterEvaluator? filter, Dictionary<PointId, Candidate>? restrictTo)
    {
        if (restrictTo is not null)
        {
            foreach (var (id, c) in restrictTo)
                if (filter is null || filter.Matches(new SegmentPoint(c.Segment, c.Offset, Specs))) yield return (id, c.Segment, c.Offset);
            yield break;
        }
        foreach (var s in _set.Segments)
        {
            int n = s.SlotCount;
            for (uint off = 0; off < (uint)n; off++)
            {
                if ((off & 0x3FFF) == 0) _ct.ThrowIfCancellationRequested();
                if (s.IsDeleted(off)) continue;
                var id = s.GetId(off);
                // A point briefly has two copies while a write races this read: take only the one TryLocate picks.
                if (_set.Segments.Length > 1 && (!LocalShard.TryLocate(_set, id, out var live, out var liveOff) || live != s || liveOff != off)) continue;
                if (filter is not null && !filter.Matches(new SegmentPoint(s, off, Specs))) continue;
                yield return (id, s, off);
            }
        }
    }

    /// <summary>
    /// Qdrant's order_by: one entry per (value, point) — a point whose key holds several numbers appears once per value —
    /// ascending or descending by value then id, from <c>start_from</c> on. Score 1 and version 0, as Qdrant reports.
    /// </summary>
    private List<Candidate> OrderByScan(OrderBy orderBy, FilterEvaluator? filter, int limit, Dictionary<PointId, Candidate>? restrictTo)
    {
        var path = JsonPath.Parse(orderBy.Key);
        if (RequireOrderByIndex && !_collection.HasRangeIndex(orderBy.Key))
            throw new BadRequestException($"Wrong input: No range index for `order_by` key: `{orderBy.Key}`. Please create one to use `order_by`. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Range conditions");
        bool desc = orderBy.Direction == OrderDirection.Desc;
        var entries = new List<(OrderValue Value, Candidate Point)>();
        foreach (var (id, s, off) in LivePoints(filter, restrictTo))
        {
            var payload = PayloadJson.Parse(s.GetPayload(off));
            foreach (var node in PayloadValues.Get(payload, path))
            {
                if (PayloadValues.AsOrderValue(node) is not { } v) continue;
                if (orderBy.StartFrom is { } from && (desc ? v.Float > from : v.Float < from)) continue;
                entries.Add((v, new Candidate(id, 1f, s, off, 0, v)));
            }
        }
        entries.Sort((a, b) =>
        {
            int c = Compare(a.Value, b.Value);
            if (c == 0) c = a.Point.Id.CompareTo(b.Point.Id);
            return desc ? -c : c;
        });
        var result = new List<Candidate>(Math.Min(limit, entries.Count));
        for (int i = 0; i < entries.Count && result.Count < limit; i++)
        {
            // Qdrant's merge drops only consecutive duplicates of the same (value, point).
            if (i > 0 && entries[i - 1].Point.Id == entries[i].Point.Id && Compare(entries[i - 1].Value, entries[i].Value) == 0) continue;
            result.Add(entries[i].Point);
        }
        return result;
    }

    private static int Compare(OrderValue a, OrderValue b) =>
        a.IsInteger && b.IsInteger ? a.Integer.CompareTo(b.Integer) : a.Float.CompareTo(b.Float);

    /// <summary>Up to <paramref name="limit"/> points chosen uniformly at random (score 1, version 0, as Qdrant reports).</summary>
    private List<Candidate> SampleScan(FilterEvaluator? filter, int limit, Dictionary<PointId, Candidate>? restrictTo)
    {
        var random = Random.Shared;
        // Reservoir sampling: one pass, memory bounded by the limit.
        var reservoir = new List<Candidate>(Math.Min(limit, 1024));
        long seen = 0;
        foreach (var (id, s, off) in LivePoints(filter, restrictTo))
        {
            seen++;
            var c = new Candidate(id, 1f, s, off, 0);
            if (reservoir.Count < limit) reservoir.Add(c);
            else if (random.NextInt64(seen) is var j && j < limit) reservoir[(int)j] = c;
        }
        // Shuffle, so the order is random as well.
        for (int i = reservoir.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (reservoir[i], reservoir[j]) = (reservoir[j], reservoir[i]);
        }
        return reservoir;
    }
}
