using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Server.Auth;
using Grape.Server.Rest.Dto;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>
/// Qdrant's Query API, for the forms the engine can answer: nearest to a dense vector, or nearest to a stored point's
/// vector (read with Get, then searched without that point). Every other form answers 400 "not supported yet".
/// </summary>
internal static class QueryEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var r = ApiRoutes.ReadParams;
        app.Map("POST", "/collections/{collection_name}/points/query", Query, AccessLevel.Read, "query_points", "Search", "Universal query (nearest-vector forms)", body: "QueryRequest", result: "QueryResponse", query: r);
        app.Map("POST", "/collections/{collection_name}/points/query/batch", QueryBatch, AccessLevel.Read, "query_batch_points", "Search", "Several queries in one call", body: "QueryRequestBatch", result: "[QueryResponse]", query: r);
    }

    private static async Task Query(HttpContext context)
    {
        Api.Read(context);
        SearchMapper.QueryPlan plan;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) plan = SearchMapper.Query(body.Root, "");
        var ct = Api.Cancellation(context);
        var response = await RunAsync(Api.Db(context), Api.Collection(context), plan, ct).ConfigureAwait(false);
        await Api.OkAsync(context, response, SearchJsonContext.Default.QueryResponseDto).ConfigureAwait(false);
    }

    private static async Task QueryBatch(HttpContext context)
    {
        Api.Read(context);
        List<SearchMapper.QueryPlan> plans;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) plans = SearchMapper.Batch(body.Root, SearchMapper.Query);
        var ct = Api.Cancellation(context);
        var db = Api.Db(context);
        string collection = Api.Collection(context);
        var list = new List<QueryResponseDto>(plans.Count);
        foreach (var plan in plans) list.Add(await RunAsync(db, collection, plan, ct).ConfigureAwait(false));
        await Api.OkAsync(context, list, SearchJsonContext.Default.ListQueryResponseDto).ConfigureAwait(false);
    }

    private static async Task<QueryResponseDto> RunAsync(GrapeDatabase db, string collection, SearchMapper.QueryPlan plan, CancellationToken ct)
    {
        var search = plan.Search;
        if (plan.ByPoint is { } id)
        {
            var records = await db.GetAsync(collection, [id], PayloadSelector.None, VectorSelector.Only([search.Using]), ct).ConfigureAwait(false);
            if (records.Count == 0) throw new PointNotFoundException(id.ToString());
            if (records[0].Vectors is not { } vectors || !vectors.TryGetValue(search.Using, out var vector))
                throw new WrongInputException($"Point {id} has no vector named `{search.Using}`");
            // Qdrant leaves the points used as the query out of the results.
            search = search with { Vector = vector.Dense, Filter = PointsMapper.ExcludeIds(search.Filter, [id]) };
        }
        var points = await db.SearchAsync(collection, search, ct).ConfigureAwait(false);
        return new QueryResponseDto(ResultMapper.Scored(points, search.WithPayload));
    }
}
