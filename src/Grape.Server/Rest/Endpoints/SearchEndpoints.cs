using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Server.Auth;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>Qdrant's legacy search routes (not in openapi.json but served, and used by older clients): results are bare lists.</summary>
internal static class SearchEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var r = ApiRoutes.ReadParams;
        app.Map("POST", "/collections/{collection_name}/points/search", Search, AccessLevel.Read, "search_points", "Search", "Nearest points to a vector (legacy)", body: "SearchRequest", result: "[ScoredPoint]", query: r);
        app.Map("POST", "/collections/{collection_name}/points/search/batch", SearchBatch, AccessLevel.Read, "search_batch_points", "Search", "Several searches in one call (legacy)", body: "SearchRequestBatch", result: "[[ScoredPoint]]", query: r);
    }

    private static async Task Search(HttpContext context)
    {
        Api.Read(context);
        SearchRequest request;
        // The plain {vector, limit, with_*} body in one streaming pass; any other form, and every error, through the
        // document mapper over the same bytes.
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = SearchStreamReader.TryRead(body.Utf8) ?? SearchMapper.Search(body.Root, "");
        var points = await Api.Db(context).SearchAsync(Api.Collection(context), request, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkScoredAsync(context, points, request.WithPayload).ConfigureAwait(false);
    }

    private static async Task SearchBatch(HttpContext context)
    {
        Api.Read(context);
        List<SearchRequest> requests;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) requests = SearchMapper.Batch(body.Root, SearchMapper.Search);
        var results = await Api.Db(context).SearchBatchAsync(Api.Collection(context), requests, Api.Cancellation(context)).ConfigureAwait(false);
        var list = new List<List<Dto.ScoredPointDto>>(results.Count);
        for (int i = 0; i < results.Count; i++) list.Add(ResultMapper.Scored(results[i], requests[i].WithPayload));
        await Api.OkAsync(context, list, SearchJsonContext.Default.ListListScoredPointDto).ConfigureAwait(false);
    }
}
