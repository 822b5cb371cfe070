using System.Text.Json;
using Grape.Core.Embedded;
using Grape.Core.Query;
using Grape.Server.Auth;
using Grape.Server.Rest.Dto;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>
/// Qdrant's Query API: query, query batch, query groups and the distance matrix. Grape's own extension:
/// <c>"explain": true</c> in a query body adds <c>explain</c> (the stages, how each was answered, candidates, time)
/// beside <c>points</c>.
/// </summary>
internal static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var r = ApiRoutes.ReadParams;
        const string points = "/collections/{collection_name}/points";
        app.Map("POST", points + "/query", Query, AccessLevel.Read, "query_points", "Search", "Universal query: prefetch, fusion, re-scoring, recommend, discover, order_by, formula, sample, mmr", body: "QueryRequest", result: "QueryResponse", query: r);
        app.Map("POST", points + "/query/batch", QueryBatch, AccessLevel.Read, "query_batch_points", "Search", "Several queries in one call", body: "QueryRequestBatch", result: "[QueryResponse]", query: r);
        app.Map("POST", points + "/query/groups", QueryGroups, AccessLevel.Read, "query_points_groups", "Search", "Universal query, results grouped by a payload value", body: "QueryGroupsRequest", result: "GroupsResult", query: r);
        app.Map("POST", points + "/search/matrix/pairs", MatrixPairs, AccessLevel.Read, "search_matrix_pairs", "Search", "Distance matrix of a sample, as pairs", body: "SearchMatrixRequest", result: "SearchMatrixPairsResponse", query: r);
        app.Map("POST", points + "/search/matrix/offsets", MatrixOffsets, AccessLevel.Read, "search_matrix_offsets", "Search", "Distance matrix of a sample, as offsets", body: "SearchMatrixRequest", result: "SearchMatrixOffsetsResponse", query: r);
    }

    private static async Task Query(HttpContext context)
    {
        Api.Read(context);
        QueryRequest request;
        QueryExplain? explain = null;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false))
        {
            request = QueryMapper.Query(body.Root, "");
            if (body.Root.TryGetProperty("explain", out var x) && x.ValueKind == JsonValueKind.True) explain = new QueryExplain();
        }
        var points = await Api.Db(context).QueryAsync(Api.Collection(context), request, explain, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkQueryAsync(context, points, request.WithPayload, explain).ConfigureAwait(false);
    }

    private static async Task QueryBatch(HttpContext context)
    {
        Api.Read(context);
        List<QueryRequest> requests;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) requests = SearchMapper.Batch(body.Root, QueryMapper.Query);
        var results = await Api.Db(context).QueryBatchAsync(Api.Collection(context), requests, Api.Cancellation(context)).ConfigureAwait(false);
        var list = new List<QueryResponseDto>(results.Count);
        for (int i = 0; i < results.Count; i++) list.Add(ResultMapper.Query(results[i], requests[i].WithPayload));
        await Api.OkAsync(context, list, SearchJsonContext.Default.ListQueryResponseDto).ConfigureAwait(false);
    }

    private static Task QueryGroups(HttpContext context) => GroupsAsync(context, root => QueryMapper.Groups(root, ""));

    /// <summary>Shared by query/groups, search/groups and recommend/groups.</summary>
    internal static async Task GroupsAsync(HttpContext context, Func<JsonElement, QueryGroupsRequest> map)
    {
        Api.Read(context);
        QueryGroupsRequest request;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = map(body.Root);
        var groups = await Api.Db(context).QueryGroupsAsync(Api.Collection(context), request, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ResultMapper.Groups(groups, request.Query.WithPayload, request.WithLookup?.WithPayload), SearchJsonContext.Default.GroupsResultDto).ConfigureAwait(false);
    }

    private static async Task<SearchMatrixResult> MatrixAsync(HttpContext context)
    {
        Api.Read(context);
        SearchMatrixRequest request;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = QueryMapper.Matrix(body.Root);
        return await Api.Db(context).SearchMatrixAsync(Api.Collection(context), request, Api.Cancellation(context)).ConfigureAwait(false);
    }

    private static async Task MatrixPairs(HttpContext context) =>
        await Api.OkAsync(context, ResultMapper.Pairs(await MatrixAsync(context).ConfigureAwait(false)), SearchJsonContext.Default.SearchMatrixPairsDto).ConfigureAwait(false);

    private static async Task MatrixOffsets(HttpContext context) =>
        await Api.OkAsync(context, ResultMapper.Offsets(await MatrixAsync(context).ConfigureAwait(false)), SearchJsonContext.Default.SearchMatrixOffsetsDto).ConfigureAwait(false);
}
