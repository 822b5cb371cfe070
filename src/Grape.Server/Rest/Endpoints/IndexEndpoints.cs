using Grape.Core.Indexing.Payload;
using Grape.Server.Auth;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>Qdrant's Indexes group (create and delete a payload field index) and the Points group's facet.</summary>
internal static class IndexEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var w = ApiRoutes.WriteParams;
        app.Map("PUT", "/collections/{collection_name}/index", Create, AccessLevel.Write, "create_field_index", "Indexes", "Create a payload field index", body: "CreateFieldIndex", result: "UpdateResult", query: w);
        app.Map("DELETE", "/collections/{collection_name}/index/{field_name}", Delete, AccessLevel.Write, "delete_field_index", "Indexes", "Delete a payload field index", result: "UpdateResult", query: w);
        app.Map("POST", "/collections/{collection_name}/facet", Facet, AccessLevel.Read, "facet", "Points", "Count the values of an indexed field", body: "FacetRequest", result: "FacetResponse", query: ApiRoutes.ReadParams);
    }

    private static async Task Create(HttpContext context)
    {
        var write = Api.Write(context);
        (string FieldName, PayloadFieldSchema? Schema) req;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) req = IndexMapper.CreateFieldIndex(body.Root);
        var result = await Api.Db(context).CreateFieldIndexAsync(Api.Collection(context), req.FieldName, req.Schema, write, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ResultMapper.Update(result), PointsJsonContext.Default.UpdateResultDto).ConfigureAwait(false);
    }

    private static async Task Delete(HttpContext context)
    {
        var write = Api.Write(context);
        var result = await Api.Db(context).DeleteFieldIndexAsync(Api.Collection(context), Api.Route(context, "field_name"), write, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ResultMapper.Update(result), PointsJsonContext.Default.UpdateResultDto).ConfigureAwait(false);
    }

    private static async Task Facet(HttpContext context)
    {
        Api.Read(context);
        Core.Collections.FacetRequest request;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = IndexMapper.Facet(body.Root);
        var response = await Api.Db(context).FacetAsync(Api.Collection(context), request, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, IndexMapper.Facet(response), PointsJsonContext.Default.FacetResponseDto).ConfigureAwait(false);
    }
}
