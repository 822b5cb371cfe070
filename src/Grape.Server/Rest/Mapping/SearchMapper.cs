using System.Text.Json;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Server.Errors;
using static Grape.Server.Rest.Mapping.JsonRead;

namespace Grape.Server.Rest.Mapping;

/// <summary>The legacy <c>SearchRequest</c> and the nearest-vector forms of the Query API → Core's <see cref="SearchRequest"/>.</summary>
internal static class SearchMapper
{
    /// <summary>Legacy <c>points/search</c>: {vector*, filter, params, limit* (alias top), offset, with_payload, with_vector, score_threshold}.</summary>
    public static SearchRequest Search(JsonElement e, string path)
    {
        ExpectObject(e, path, "a SearchRequest");
        PointsMapper.CheckShardKey(e);
        var (name, vector) = NamedVector(Req(e, "vector", path), Join(path, "vector"));
        var limitElement = Opt(e, "limit") ?? Opt(e, "top") ?? throw RequestException.Format($"{Where(path)}missing field `limit`");
        return Common(e, path, vector, name, Int(limitElement, Join(path, "limit"), min: 1, max: MaxLimit));
    }

    /// <summary><c>NamedVectorStruct</c>: [f32] | {name, vector: [f32]}.</summary>
    private static (string Name, float[] Vector) NamedVector(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Array) return (PointStruct.DefaultVector, Dense(e, path));
        ExpectObject(e, path, "a vector or {name, vector}");
        string name = String(Req(e, "name", path), Join(path, "name"));
        var v = Req(e, "vector", path);
        if (v.ValueKind == JsonValueKind.Object && v.TryGetProperty("indices", out _)) throw RequestException.NotSupported("sparse vectors");
        return (name, Dense(v, Join(path, "vector")));
    }

    private static SearchRequest Common(JsonElement e, string path, float[] vector, string name, int limit)
    {
        int offset = OptInt(e, "offset", path, max: MaxLimit) ?? 0;
        return new SearchRequest(vector)
        {
            Using = name,
            Filter = FilterMapper.Optional(e, "filter", path),
            Limit = limit,
            Offset = offset,
            ScoreThreshold = Opt(e, "score_threshold") is { } st ? Float(st, Join(path, "score_threshold")) : null,
            Params = Params(e, path),
            WithPayload = PointsMapper.WithPayload(e, PayloadSelector.None),
            WithVectors = PointsMapper.WithVector(e, VectorSelector.None),
        };
    }

    private static SearchParams? Params(JsonElement e, string path)
    {
        if (Opt(e, "params") is not { } p) return null;
        string pp = Join(path, "params");
        ExpectObject(p, pp, "SearchParams");
        if (Opt(p, "acorn") is { } acorn && acorn.ValueKind == JsonValueKind.Object && OptBool(acorn, "enable", pp + ".acorn") == true)
            throw RequestException.NotSupported("ACORN search");
        if (Opt(p, "quantization") is { } q) ExpectObject(q, pp + ".quantization", "QuantizationSearchParams"); // no quantization yet: nothing to tune
        return new SearchParams
        {
            HnswEf = OptInt(p, "hnsw_ef", pp, min: 1, max: MaxLimit),
            Exact = OptBool(p, "exact", pp) ?? false,
            IndexedOnly = OptBool(p, "indexed_only", pp) ?? false,
        };
    }

    /// <summary>What a Query API request asks for, once its vector is known.</summary>
    internal sealed record QueryPlan(SearchRequest Search, PointId? ByPoint);

    /// <summary>
    /// The Query API's nearest-neighbour forms: <c>query</c> as a dense vector, a point id (searched with that point's
    /// vector; the point itself is excluded, as in Qdrant), or <c>{"nearest": ...}</c> of either. The other forms
    /// (prefetch, fusion, recommend, discover, context, order_by, formula, sample, mmr) answer 400 until the engine has them.
    /// </summary>
    public static QueryPlan Query(JsonElement e, string path)
    {
        ExpectObject(e, path, "a QueryRequest");
        PointsMapper.CheckShardKey(e);
        if (Opt(e, "prefetch") is not null) throw RequestException.NotSupported("`prefetch`");
        if (Opt(e, "lookup_from") is not null) throw RequestException.NotSupported("`lookup_from`");
        string name = OptString(e, "using", path) ?? PointStruct.DefaultVector;
        int limit = Opt(e, "limit") is { } l ? Int(l, Join(path, "limit"), min: 1, max: MaxLimit) : 10;
        var query = Opt(e, "query") ?? throw RequestException.NotSupported("a query without `query` (points in id order)");
        string qp = Join(path, "query");
        if (query.ValueKind == JsonValueKind.Object)
        {
            if (query.TryGetProperty("nearest", out var nearest))
            {
                if (Opt(query, "mmr") is not null) throw RequestException.NotSupported("`mmr`");
                query = nearest;
                qp = Join(qp, "nearest");
            }
            else
            {
                foreach (var kind in new[] { "recommend", "discover", "context", "order_by", "fusion", "rrf", "formula", "sample", "relevance_feedback" })
                {
                    if (query.TryGetProperty(kind, out _)) throw RequestException.NotSupported($"the `{kind}` query");
                }
            }
        }
        switch (query.ValueKind)
        {
            case JsonValueKind.Array:
                if (query.GetArrayLength() > 0 && query[0].ValueKind == JsonValueKind.Array) throw RequestException.NotSupported("multivector queries");
                return new QueryPlan(Common(e, path, Dense(query, qp), name, limit), null);
            case JsonValueKind.Number:
            case JsonValueKind.String:
                return new QueryPlan(Common(e, path, [], name, limit), PointId(query, qp));
            case JsonValueKind.Object:
                if (query.TryGetProperty("indices", out _)) throw RequestException.NotSupported("sparse vectors");
                if (query.TryGetProperty("model", out _)) throw RequestException.NotSupported("server-side inference (Document, Image, InferenceObject)");
                break;
        }
        throw RequestException.Format($"{qp}: invalid type: {Kind(query)}, expected a vector, a point id or a query object");
    }

    /// <summary><c>{searches: [...]}</c> of the batch routes.</summary>
    public static List<T> Batch<T>(JsonElement root, Func<JsonElement, string, T> parse)
    {
        ExpectObject(root, "", "{searches}");
        var s = Req(root, "searches", "");
        if (s.ValueKind != JsonValueKind.Array) throw RequestException.Format($"searches: invalid type: {Kind(s)}, expected a list of requests");
        var list = new List<T>(s.GetArrayLength());
        int i = 0;
        foreach (var item in s.EnumerateArray()) list.Add(parse(item, $"searches[{i++}]"));
        return list;
    }
}
