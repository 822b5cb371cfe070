using Grape.Core.Collections;
using Grape.Core.Collections.Shards;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Query;

/// <summary>
/// Runs Qdrant's universal query against one collection over one pinned segment set (a consistent view for every
/// stage). Stages follow Qdrant's plan: each prefetch is a search, scan or scroll of its own (its filter merged with
/// every filter above it); a stage with prefetches then re-scores the union of their points (vector queries score
/// the stored vectors, formulas the prefetch scores and payloads, order_by and sample reorder) or fuses their lists.
/// Ids used as examples are left out of the results, as Qdrant does. Payloads and vectors are read only for the
/// returned page.
/// </summary>
internal sealed partial class QueryExecutor : IDisposable
{
    /// <summary>Qdrant refuses deeper prefetch trees.</summary>
    public const int MaxPrefetchDepth = 64;

    private readonly Collection _collection;
    private readonly Func<string, Collection> _collections;
    private readonly SegmentSet _set;
    private readonly CancellationToken _ct;
    private readonly QueryExplain? _explain;

    public QueryExecutor(Collection collection, Func<string, Collection> collections, CancellationToken cancellationToken, QueryExplain? explain = null)
    {
        _collection = collection;
        _collections = collections;
        _ct = cancellationToken;
        _explain = explain;
        _set = collection.Shard.AcquireSegments();
    }

    /// <summary>Qdrant answers an order_by only with a range index on the key; tests of the ordering itself turn this off.</summary>
    public bool RequireOrderByIndex { get; init; } = true;

    private SegmentVectorSpec[] Specs => _collection.Shard.Specs;

    public void Dispose() => _set.Release();

    /// <summary>The answer to <paramref name="request"/>: at most <c>Limit</c> points after skipping <c>Offset</c>.</summary>
    public IReadOnlyList<ScoredPoint> Run(QueryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckLimit(request.Limit, "limit");
        if (request.Offset < 0) ThrowHelper.BadRequest("Validation error in offset: must be 0 or more");
        var hits = RunRoot(request, request.Limit, request.Offset);
        return Materialize(hits, request.WithPayload, request.WithVectors);
    }

    /// <summary>The ranked candidates of the root stage, offset applied, without payloads.</summary>
    internal List<Candidate> RunRoot(QueryRequest request, int limit, int offset)
    {
        int depth = Depth(request.Prefetches);
        if (depth > MaxPrefetchDepth) ThrowHelper.BadRequest($"Wrong input: Validation failed: prefetches depth {depth} exceeds max depth {MaxPrefetchDepth}");
        // A random sample has no order to page through: Qdrant ignores the offset there.
        if (request.Query is ScoringQuery.Sample && request.Prefetches.Count == 0) offset = 0;
        var referenced = new HashSet<PointId>();
        CollectReferencedIds(request.Query, request.LookupFrom, request.Prefetches, referenced);
        var stage = new Stage(request.Prefetches, request.Query, request.Using, ExcludeIds(request.Filter, referenced), request.Params,
            request.ScoreThreshold, (int)Math.Min((long)limit + offset, Collection.MaxLimit), request.LookupFrom, IsRoot: true);
        var hits = RunStage(stage, inherited: null, level: 0);
        if (offset > 0) hits.RemoveRange(0, Math.Min(offset, hits.Count));
        if (hits.Count > limit) hits.RemoveRange(limit, hits.Count - limit);
        return hits;
    }

    /// <summary>A query or a prefetch, seen the same way.</summary>
    private sealed record Stage(IReadOnlyList<Prefetch> Prefetches, ScoringQuery? Query, string Using, Filter? Filter, SearchParams? Params,
        float? ScoreThreshold, int Limit, LookupLocation? LookupFrom, bool IsRoot)
    {
        public static Stage Of(Prefetch p) =>
            new(p.Prefetches, p.Query, p.Using ?? PointStruct.DefaultVector, p.Filter, p.Params, p.ScoreThreshold, p.Limit, p.LookupFrom, IsRoot: false);
    }

    private List<Candidate> RunStage(Stage stage, Filter? inherited, int level)
    {
        _ct.ThrowIfCancellationRequested();
        Validate(stage);
        var filter = Merge(inherited, stage.Filter);
        long started = _explain is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
        List<Candidate> result;
        if (stage.Prefetches.Count == 0)
        {
            result = Leaf(stage, filter);
        }
        else
        {
            result = Rescore(stage, RunPrefetches(stage.Prefetches, filter, level + 1));
        }
        _explain?.Record(level, stage.IsRoot ? "query" : "prefetch", Describe(stage.Query), stage.Prefetches.Count, result.Count, LastMethod, started);
        return result;
    }

    /// <summary>
    /// The prefetches' candidate lists, in request order, run one after the other. Running siblings in parallel was
    /// tried and measured (bench `query`, 200,000 × 384, 2 cores): a two-prefetch RRF took 1.28–1.43 ms in parallel
    /// against 1.35 ms in sequence (p50), so it bought nothing here and would take pool threads from a loaded server.
    /// </summary>
    private List<List<Candidate>> RunPrefetches(IReadOnlyList<Prefetch> prefetches, Filter? filter, int level)
    {
        var sources = new List<List<Candidate>>(prefetches.Count);
        foreach (var p in prefetches) sources.Add(RunStage(Stage.Of(p), filter, level));
        return sources;
    }

    /// <summary>Qdrant's checks of a query and its prefetches (<c>CollectionQueryRequest::validation</c>).</summary>
    private static void Validate(Stage s)
    {
        CheckLimit(s.Limit, "limit");
        if (s.Prefetches.Count > 0 && s.Query is null)
            ThrowHelper.BadRequest("Bad request: A query is needed to merge the prefetches. Can't have prefetches without defining a query.");
        if (s.ScoreThreshold is { } t)
        {
            if (float.IsNaN(t)) ThrowHelper.BadRequest("Validation error in score_threshold: NaN");
            if (s.Query is ScoringQuery.OrderByQuery) ThrowHelper.BadRequest("Bad request: Can't use score_threshold with an order_by query.");
            if (s.Query is null) ThrowHelper.BadRequest("Bad request: A query is needed to use the score_threshold. Can't have score_threshold without defining a query.");
        }
        if (s.Query is ScoringQuery.Fusion or ScoringQuery.Rrf && s.Using != PointStruct.DefaultVector)
            ThrowHelper.BadRequest("Bad request: Fusion queries cannot be combined with the 'using' field.");
        if (s.Query is ScoringQuery.Rrf { K: < 1 }) ThrowHelper.BadRequest("Validation error in rrf.k: must be 1 or more");
        if (s.Query is ScoringQuery.Nearest { Mmr: { } mmr })
        {
            if (mmr.Diversity is { } d && !(d >= 0f && d <= 1f)) ThrowHelper.BadRequest($"Validation error in mmr.diversity: value {d} invalid, must be in [0, 1]");
            if (mmr.CandidatesLimit is < 0 or > 16_384) ThrowHelper.BadRequest($"Validation error in mmr.candidates_limit: value {mmr.CandidatesLimit} invalid, must be 16384 or less");
        }
    }

    private static void CheckLimit(int limit, string field)
    {
        if (limit < 1) ThrowHelper.BadRequest($"Validation error in {field}: value {limit} invalid, must be 1 or more");
        if (limit > Collection.MaxLimit) ThrowHelper.BadRequest($"Validation error in {field}: value {limit} invalid, must be at most {Collection.MaxLimit}");
    }

    private static int Depth(IReadOnlyList<Prefetch> prefetches)
    {
        int depth = 0;
        foreach (var p in prefetches) depth = Math.Max(depth, 1 + Depth(p.Prefetches));
        return depth;
    }

    /// <summary>Ids used as examples anywhere in the tree whose vectors come from this collection (Qdrant excludes them from the results).</summary>
    private void CollectReferencedIds(ScoringQuery? query, LookupLocation? lookup, IReadOnlyList<Prefetch> prefetches, HashSet<PointId> ids)
    {
        bool otherCollection = lookup is not null && !ReferenceEquals(_collections(lookup.Collection), _collection);
        if (!otherCollection)
            foreach (var input in Inputs(query))
                if (input.Id is { } id) ids.Add(id);
        foreach (var p in prefetches) CollectReferencedIds(p.Query, p.LookupFrom, p.Prefetches, ids);
    }

    private static IEnumerable<VectorInput> Inputs(ScoringQuery? query)
    {
        switch (query)
        {
            case ScoringQuery.Nearest n: yield return n.Vector; break;
            case ScoringQuery.Recommend r:
                foreach (var v in r.Positive) yield return v;
                foreach (var v in r.Negative) yield return v;
                break;
            case ScoringQuery.Discover d:
                yield return d.Target;
                foreach (var p in d.Pairs) { yield return p.Positive; yield return p.Negative; }
                break;
            case ScoringQuery.Context c:
                foreach (var p in c.Pairs) { yield return p.Positive; yield return p.Negative; }
                break;
        }
    }

    private static Filter? ExcludeIds(Filter? filter, HashSet<PointId> ids)
    {
        if (ids.Count == 0) return filter;
        var exclude = new Filter { MustNot = [new HasIdCondition(ids)] };
        return Merge(exclude, filter);
    }

    /// <summary>Both filters must hold (Qdrant's <c>Filter::merge</c>).</summary>
    private static Filter? Merge(Filter? a, Filter? b) =>
        a is null ? b : b is null ? a : new Filter { Must = [new FilterCondition(a), new FilterCondition(b)] };

    private static FilterEvaluator? Compile(Filter? filter) => filter is null ? null : FilterEvaluator.Compile(filter);

    /// <summary>Reads payloads and vectors of the returned points (the candidates point into the pinned set).</summary>
    internal List<ScoredPoint> Materialize(List<Candidate> hits, PayloadSelector? withPayload, VectorSelector? withVectors)
    {
        var columns = _collection.VectorColumns(withVectors);
        var result = new List<ScoredPoint>(hits.Count);
        foreach (var h in hits)
        {
            result.Add(new ScoredPoint(h.Id, h.Version, h.Score, _collection.PayloadOf(h.Segment, h.Offset, withPayload),
                _collection.VectorsOf(h.Segment, h.Offset, columns))
            { OrderValue = h.Order });
        }
        return result;
    }
}
