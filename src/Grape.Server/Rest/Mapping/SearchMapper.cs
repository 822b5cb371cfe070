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
    internal static (string Name, float[] Vector) NamedVector(JsonElement e, string path)
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
            Params = QueryMapper.SearchParams(e, path),
            WithPayload = PointsMapper.WithPayload(e, PayloadSelector.None),
            WithVectors = PointsMapper.WithVector(e, VectorSelector.None),
        };
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
