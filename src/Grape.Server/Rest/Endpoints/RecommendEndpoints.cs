using Grape.Core.Query;
using Grape.Server.Auth;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>
/// Qdrant's legacy recommend, discover and search-groups routes (served, not in openapi.json): each body becomes the
/// equivalent query; results are bare lists (groups: <c>GroupsResult</c>).
/// </summary>
internal static class RecommendEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var r = ApiRoutes.ReadParams;
        const string points = "/collections/{collection_name}/points";
        app.Map("POST", points + "/recommend", (HttpContext c) => ListAsync(c, LegacyQueryMapper.Recommend), AccessLevel.Read, "recommend_points", "Search", "Points like positive and unlike negative examples (legacy)", body: "RecommendRequest", result: "[ScoredPoint]", query: r);
        app.Map("POST", points + "/recommend/batch", (HttpContext c) => BatchAsync(c, LegacyQueryMapper.Recommend), AccessLevel.Read, "recommend_batch_points", "Search", "Several recommendations in one call (legacy)", body: "RecommendRequestBatch", result: "[[ScoredPoint]]", query: r);
        app.Map("POST", points + "/recommend/groups", (HttpContext c) => QueryEndpoints.GroupsAsync(c, LegacyQueryMapper.RecommendGroups), AccessLevel.Read, "recommend_point_groups", "Search", "Recommendation grouped by a payload value (legacy)", body: "RecommendGroupsRequest", result: "GroupsResult", query: r);
        app.Map("POST", points + "/discover", (HttpContext c) => ListAsync(c, LegacyQueryMapper.Discover), AccessLevel.Read, "discover_points", "Search", "Discovery with a target and context pairs (legacy)", body: "DiscoverRequest", result: "[ScoredPoint]", query: r);
        app.Map("POST", points + "/discover/batch", (HttpContext c) => BatchAsync(c, LegacyQueryMapper.Discover), AccessLevel.Read, "discover_batch_points", "Search", "Several discoveries in one call (legacy)", body: "DiscoverRequestBatch", result: "[[ScoredPoint]]", query: r);
        app.Map("POST", points + "/search/groups", (HttpContext c) => QueryEndpoints.GroupsAsync(c, LegacyQueryMapper.SearchGroups), AccessLevel.Read, "search_point_groups", "Search", "Search grouped by a payload value (legacy)", body: "SearchGroupsRequest", result: "GroupsResult", query: r);
    }

    private static async Task ListAsync(HttpContext context, Func<System.Text.Json.JsonElement, string, QueryRequest> map)
    {
        Api.Read(context);
        QueryRequest request;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = map(body.Root, "");
        var points = await Api.Db(context).QueryAsync(Api.Collection(context), request, null, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkScoredAsync(context, points, request.WithPayload).ConfigureAwait(false);
    }

    private static async Task BatchAsync(HttpContext context, Func<System.Text.Json.JsonElement, string, QueryRequest> map)
    {
        Api.Read(context);
        List<QueryRequest> requests;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) requests = SearchMapper.Batch(body.Root, map);
        var results = await Api.Db(context).QueryBatchAsync(Api.Collection(context), requests, Api.Cancellation(context)).ConfigureAwait(false);
        var list = new List<List<Dto.ScoredPointDto>>(results.Count);
        for (int i = 0; i < results.Count; i++) list.Add(ResultMapper.Scored(results[i], requests[i].WithPayload));
        await Api.OkAsync(context, list, SearchJsonContext.Default.ListListScoredPointDto).ConfigureAwait(false);
    }
}
