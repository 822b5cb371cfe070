using System.Text.Json;
using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Server.Errors;
using static Grape.Server.Rest.Mapping.JsonRead;

namespace Grape.Server.Rest.Mapping;

/// <summary>
/// Qdrant's legacy recommend, discover and search-groups bodies → the equivalent Query API request, so they answer
/// exactly as the query does (Qdrant runs them through the same scorers).
/// </summary>
internal static class LegacyQueryMapper
{
    /// <summary><c>RecommendRequest</c>: {positive, negative, strategy, filter, params, limit* (top), offset, with_payload, with_vector, score_threshold, using, lookup_from}.</summary>
    public static QueryRequest Recommend(JsonElement e, string path) => Common(e, path, RecommendQuery(e, path), paged: true);

    /// <summary><c>DiscoverRequest</c>: {target, context, filter, params, limit*, offset, with_payload, with_vector, using, lookup_from}; no target = a context search.</summary>
    public static QueryRequest Discover(JsonElement e, string path)
    {
        ExpectObject(e, path, "a DiscoverRequest");
        var pairs = Opt(e, "context") is { } c ? QueryMapper.Pairs(c, Join(path, "context")) : [];
        ScoringQuery query = Opt(e, "target") is { } t
            ? new ScoringQuery.Discover(QueryMapper.VectorInput(t, Join(path, "target")), pairs)
            : pairs.Count > 0 ? new ScoringQuery.Context(pairs)
            : throw new BadRequestException("Bad request: target or context must be specified for discovery");
        return Common(e, path, query, paged: true);
    }

    /// <summary><c>SearchGroupsRequest</c>: a legacy search without limit/offset + group_by*, group_size*, limit* (groups), with_lookup.</summary>
    public static QueryGroupsRequest SearchGroups(JsonElement e)
    {
        ExpectObject(e, "", "a SearchGroupsRequest");
        var (name, vector) = SearchMapper.NamedVector(Req(e, "vector", ""), "vector");
        return Groups(e, Common(e, "", new ScoringQuery.Nearest(vector), paged: false) with { Using = name });
    }

    /// <summary><c>RecommendGroupsRequest</c>: a recommend without limit/offset + group_by*, group_size*, limit*, with_lookup.</summary>
    public static QueryGroupsRequest RecommendGroups(JsonElement e) => Groups(e, Common(e, "", RecommendQuery(e, ""), paged: false));

    private static QueryGroupsRequest Groups(JsonElement e, QueryRequest query) =>
        new(query, String(Req(e, "group_by", ""), "group_by"))
        {
            GroupSize = Int(Req(e, "group_size", ""), "group_size", min: 1, max: MaxLimit),
            Limit = Int(Req(e, "limit", ""), "limit", min: 1, max: MaxLimit),
            WithLookup = QueryMapper.WithLookup(e, ""),
        };

    private static ScoringQuery RecommendQuery(JsonElement e, string path)
    {
        ExpectObject(e, path, "a RecommendRequest");
        var positive = Opt(e, "positive") is { } p ? QueryMapper.VectorInputs(p, Join(path, "positive")) : [];
        var negative = Opt(e, "negative") is { } n ? QueryMapper.VectorInputs(n, Join(path, "negative")) : [];
        var strategy = OptString(e, "strategy", path) switch
        {
            null or "average_vector" => RecommendStrategy.AverageVector,
            "best_score" => RecommendStrategy.BestScore,
            "sum_scores" => RecommendStrategy.SumScores,
            var other => throw RequestException.Format($"{Join(path, "strategy")}: unknown variant `{other}`, expected one of `average_vector`, `best_score`, `sum_scores`"),
        };
        // Qdrant's legacy recommend checks its examples before anything else, with these messages.
        if (strategy == RecommendStrategy.AverageVector && positive.Count == 0)
            throw new BadRequestException("Bad request: At least one positive vector ID required with this strategy");
        if (positive.Count == 0 && negative.Count == 0)
            throw new BadRequestException("Bad request: At least one positive or negative vector ID required with this strategy");
        return new ScoringQuery.Recommend { Positive = positive, Negative = negative, Strategy = strategy };
    }

    private static QueryRequest Common(JsonElement e, string path, ScoringQuery query, bool paged)
    {
        PointsMapper.CheckShardKey(e);
        int limit = 10;
        if (paged)
        {
            var limitElement = Opt(e, "limit") ?? Opt(e, "top") ?? throw RequestException.Format($"{Where(path)}missing field `limit`");
            limit = Int(limitElement, Join(path, "limit"), min: 1, max: MaxLimit);
        }
        return new QueryRequest
        {
            Query = query,
            Using = OptString(e, "using", path) ?? PointStruct.DefaultVector,
            Filter = FilterMapper.Optional(e, "filter", path),
            Params = QueryMapper.SearchParams(e, path),
            ScoreThreshold = Opt(e, "score_threshold") is { } st ? Float(st, Join(path, "score_threshold")) : null,
            Limit = limit,
            Offset = paged ? OptInt(e, "offset", path, max: MaxLimit) ?? 0 : 0,
            WithPayload = PointsMapper.WithPayload(e, PayloadSelector.None),
            WithVectors = PointsMapper.WithVector(e, VectorSelector.None),
            LookupFrom = QueryMapper.Lookup(e, path),
        };
    }
}
