using Grape.Core.Collections.Shards;
using Grape.Core.Distances;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections;

internal sealed partial class Collection
{
    /// <summary>Qdrant caps a page or a result list at this many points by default; larger asks are bad requests.</summary>
    public const int MaxLimit = 1_000_000;

    public IReadOnlyList<Record> Retrieve(IReadOnlyList<PointId> ids, PayloadSelector withPayload, VectorSelector withVectors)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var vectorColumns = ResolveVectorSelector(withVectors);
        var set = _shard.AcquireSegments();
        try
        {
            var records = new List<Record>(ids.Count);
            var seen = new HashSet<PointId>();
            foreach (var id in ids)
            {
                if (!seen.Add(id)) continue; // Qdrant returns each point once
                if (LocalShard.TryLocate(set, id, out var seg, out var off))
                    records.Add(ToRecord(id, seg, off, withPayload, vectorColumns));
            }
            return records;
        }
        finally
        {
            set.Release();
        }
    }

    public IReadOnlyList<ScoredPoint> Search(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateLimit(request.Limit, "limit");
        if (request.Offset < 0) ThrowHelper.BadRequest("Validation error in offset: must be 0 or more");
        var name = request.Using ?? PointStruct.DefaultVector;
        int column = ColumnOf(name);
        var p = Config.Vectors[name];
        var query = request.Vector ?? throw new BadRequestException("Validation error in vector: the query vector is missing");
        if (query.Length != p.Size) throw new BadRequestException($"Wrong input: Vector dimension error: expected dim: {p.Size}, got {query.Length}");
        if (!VectorMath.IsFinite(query)) throw new BadRequestException("Wrong input: query vector contains NaN or infinite values");
        if (request.ScoreThreshold is { } t && float.IsNaN(t)) throw new BadRequestException("Validation error in score_threshold: NaN");
        var filter = request.Filter is null ? null : CompileFilter(request.Filter);
        var vectorColumns = ResolveVectorSelector(request.WithVectors);

        var q = query.ToArray();
        Metric.Preprocess(p.Distance, p.StorageDatatype, q);
        float minSimilarity = request.ScoreThreshold is { } threshold ? Metric.ThresholdToSimilarity(p.Distance, threshold) : float.NegativeInfinity;
        int k = (int)Math.Min((long)request.Limit + request.Offset, MaxLimit);

        var set = _shard.AcquireSegments();
        try
        {
            var hits = _shard.Search(set, column, p.Distance, q, k, filter, minSimilarity, SearchParamsFor(p, request.Params, k), cancellationToken);
            var result = new List<ScoredPoint>(Math.Max(0, hits.Count - request.Offset));
            for (int i = request.Offset; i < hits.Count; i++)
            {
                var h = hits[i];
                var id = h.Segment.GetId(h.Offset);
                result.Add(new ScoredPoint(id, h.Segment.GetVersion(h.Offset), Metric.ToScore(p.Distance, h.Similarity),
                    ProjectPayload(h.Segment, h.Offset, request.WithPayload),
                    ReadVectors(h.Segment, h.Offset, vectorColumns)));
            }
            return result;
        }
        finally
        {
            set.Release();
        }
    }

    public ScrollResult Scroll(ScrollRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateLimit(request.Limit, "limit");
        var filter = request.Filter is null ? null : CompileFilter(request.Filter);
        var vectorColumns = ResolveVectorSelector(request.WithVectors);
        var set = _shard.AcquireSegments();
        try
        {
            var page = _shard.ScrollIds(set, request.Offset, request.Limit, filter, cancellationToken);
            int n = Math.Min(page.Count, request.Limit);
            var records = new List<Record>(n);
            for (int i = 0; i < n; i++) records.Add(ToRecord(page[i].Id, page[i].Segment, page[i].Offset, request.WithPayload, vectorColumns));
            PointId? next = page.Count > request.Limit ? page[request.Limit].Id : null;
            return new ScrollResult(records, next);
        }
        finally
        {
            set.Release();
        }
    }

    public long Count(CountRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filter = request.Filter is null ? null : CompileFilter(request.Filter);
        var set = _shard.AcquireSegments();
        try
        {
            return _shard.Count(set, filter, cancellationToken);
        }
        finally
        {
            set.Release();
        }
    }

    /// <summary>Qdrant's defaults: ef = hnsw_ef, else the column's ef_construct, and at least k; thresholds in KB.</summary>
    private ShardSearchParams SearchParamsFor(VectorParams vector, SearchParams? request, int k)
    {
        var c = Config;
        var hnsw = c.HnswConfig.Apply(vector.HnswConfig);
        int ef = Math.Max(request?.HnswEf ?? hnsw.EfConstruct, k);
        long fullScan = hnsw.FullScanThreshold * 1024L;
        long indexedOnly = Math.Max(c.OptimizersConfig.IndexingThreshold ?? 0, hnsw.FullScanThreshold) * 1024L;
        return new ShardSearchParams(ef, request?.Exact ?? false, request?.IndexedOnly ?? false, fullScan, indexedOnly);
    }

    private static void ValidateLimit(int limit, string field)
    {
        if (limit < 1) ThrowHelper.BadRequest($"Validation error in {field}: value {limit} invalid, must be 1 or more");
        if (limit > MaxLimit) ThrowHelper.BadRequest($"Validation error in {field}: value {limit} invalid, must be at most {MaxLimit}");
    }

    private int[]? ResolveVectorSelector(VectorSelector? selector)
    {
        if (selector is null || !selector.Enabled) return null;
        if (selector.Names is null)
        {
            var all = new int[_vectorNames.Length];
            for (int i = 0; i < all.Length; i++) all[i] = i;
            return all;
        }
        return selector.Names.Select(ColumnOf).Distinct().ToArray();
    }

    private Record ToRecord(PointId id, Segment seg, uint off, PayloadSelector withPayload, int[]? vectorColumns) =>
        new(id, ProjectPayload(seg, off, withPayload), ReadVectors(seg, off, vectorColumns));

    private static System.Text.Json.Nodes.JsonObject? ProjectPayload(Segment seg, uint off, PayloadSelector? selector)
    {
        if (selector is null || !selector.Enabled) return null;
        var payload = PayloadJson.Parse(seg.GetPayload(off));
        return selector.Include is null && selector.Exclude is null ? payload : PayloadOps.Project(payload, selector);
    }

    private Dictionary<string, Vector>? ReadVectors(Segment seg, uint off, int[]? columns)
    {
        if (columns is null) return null;
        var result = new Dictionary<string, Vector>(columns.Length, StringComparer.Ordinal);
        foreach (int c in columns)
            if (seg.HasVector(off, c)) result[_vectorNames[c]] = VectorAt(seg, off, c);
        return result;
    }
}
