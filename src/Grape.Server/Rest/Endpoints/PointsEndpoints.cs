using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Server.Auth;
using Grape.Server.Errors;
using Grape.Server.Rest.Dto;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>Qdrant's Points group: retrieve, upsert, delete, payload and vector operations, batch, scroll, count.</summary>
internal static class PointsEndpoints
{
    private const string Points = "/collections/{collection_name}/points";

    public static void Map(IEndpointRouteBuilder app)
    {
        var w = ApiRoutes.WriteParams;
        var r = ApiRoutes.ReadParams;
        app.Map("GET", Points + "/{id}", GetOne, AccessLevel.Read, "get_point", "Points", "Retrieve one point (payload and vectors)", result: "Record", query: ["consistency"]);
        app.Map("POST", Points, GetMany, AccessLevel.Read, "get_points", "Points", "Retrieve points by id", body: "PointRequest", result: "[Record]", query: r);
        app.Map("PUT", Points, Upsert, AccessLevel.Write, "upsert_points", "Points", "Insert or replace points", body: "PointInsertOperations", result: "UpdateResult", query: w);
        app.Map("POST", Points + "/delete", Delete, AccessLevel.Write, "delete_points", "Points", "Delete points by id or filter", body: "PointsSelector", result: "UpdateResult", query: w);
        app.Map("PUT", Points + "/vectors", UpdateVectors, AccessLevel.Write, "update_vectors", "Points", "Update named vectors of points", body: "UpdateVectors", result: "UpdateResult", query: w);
        app.Map("POST", Points + "/vectors/delete", DeleteVectors, AccessLevel.Write, "delete_vectors", "Points", "Delete named vectors of points", body: "DeleteVectors", result: "UpdateResult", query: w);
        app.Map("POST", Points + "/payload", SetPayload, AccessLevel.Write, "set_payload", "Points", "Merge payload into points", body: "SetPayload", result: "UpdateResult", query: w);
        app.Map("PUT", Points + "/payload", OverwritePayload, AccessLevel.Write, "overwrite_payload", "Points", "Replace the payload of points", body: "SetPayload", result: "UpdateResult", query: w);
        app.Map("POST", Points + "/payload/delete", DeletePayload, AccessLevel.Write, "delete_payload", "Points", "Delete payload keys of points", body: "DeletePayload", result: "UpdateResult", query: w);
        app.Map("POST", Points + "/payload/clear", ClearPayload, AccessLevel.Write, "clear_payload", "Points", "Remove the whole payload of points", body: "PointsSelector", result: "UpdateResult", query: w);
        app.Map("POST", Points + "/batch", Batch, AccessLevel.Write, "batch_update", "Points", "Apply several write operations in order", body: "UpdateOperations", result: "[UpdateResult]", query: w);
        app.Map("POST", Points + "/scroll", Scroll, AccessLevel.Read, "scroll_points", "Points", "Page through points in id order", body: "ScrollRequest", result: "ScrollResult", query: r);
        app.Map("POST", Points + "/count", Count, AccessLevel.Read, "count_points", "Points", "Count points (matching a filter)", body: "CountRequest", result: "CountResult", query: r);
    }

    private static async Task GetOne(HttpContext context)
    {
        Api.Read(context);
        string raw = Api.Route(context, "id");
        if (!PointId.TryParse(raw, out var id))
            throw new RequestException(400, $"Deserialize error in path parameters: `{raw}` is neither an unsigned integer nor a UUID");
        var records = await Api.Db(context).GetAsync(Api.Collection(context), [id], PayloadSelector.All, VectorSelector.All, Api.Cancellation(context)).ConfigureAwait(false);
        if (records.Count == 0) throw new PointNotFoundException(id.ToString());
        await Api.OkAsync(context, ResultMapper.Record(records[0], withPayload: true), PointsJsonContext.Default.RecordDto).ConfigureAwait(false);
    }

    private static async Task GetMany(HttpContext context)
    {
        Api.Read(context);
        (List<PointId> Ids, PayloadSelector Payload, VectorSelector Vectors) req;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) req = PointsMapper.Retrieve(body.Root);
        var records = await Api.Db(context).GetAsync(Api.Collection(context), req.Ids, req.Payload, req.Vectors, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ResultMapper.Records(records, req.Payload), PointsJsonContext.Default.ListRecordDto).ConfigureAwait(false);
    }

    // The plain {points: [...]} body is read in one streaming pass; any other form, and every error, goes through the
    // general mapper (which builds the document), so both give the same points and the same messages.
    private static Task Upsert(HttpContext context) =>
        WriteAsync(context, body => UpsertStreamReader.TryRead(body.Memory) ?? PointsMapper.Upsert(body.Root, ""));

    private static Task Delete(HttpContext context) => WriteAsync(context, root => new UpdateOperation.Delete(PointsMapper.Selector(root, "")));

    private static Task UpdateVectors(HttpContext context) => WriteAsync(context, root => PointsMapper.UpdateVectors(root, ""));

    private static Task DeleteVectors(HttpContext context) => WriteAsync(context, root => PointsMapper.DeleteVectors(root, ""));

    private static Task SetPayload(HttpContext context) => WriteAsync(context, root => PointsMapper.SetPayload(root, "", overwrite: false));

    private static Task OverwritePayload(HttpContext context) => WriteAsync(context, root => PointsMapper.SetPayload(root, "", overwrite: true));

    private static Task DeletePayload(HttpContext context) => WriteAsync(context, root => PointsMapper.DeletePayload(root, ""));

    private static Task ClearPayload(HttpContext context) => WriteAsync(context, root => new UpdateOperation.ClearPayload(PointsMapper.Selector(root, "")));

    private static Task WriteAsync(HttpContext context, Func<System.Text.Json.JsonElement, UpdateOperation> map) =>
        WriteAsync(context, body => map(body.Root));

    // Query parameters first (a bad `wait` is refused before the body is read), then the body, then one Core call.
    // The body lives until the write is done: an operation may hold slices of it (payload text).
    private static async Task WriteAsync(HttpContext context, Func<JsonBody, UpdateOperation> map)
    {
        var write = Api.Write(context);
        UpdateResult result;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false))
            result = await Api.Db(context).UpdateAsync(Api.Collection(context), map(body), write, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ResultMapper.Update(result), PointsJsonContext.Default.UpdateResultDto).ConfigureAwait(false);
    }

    private static async Task Batch(HttpContext context)
    {
        var write = Api.Write(context);
        List<UpdateOperation> ops;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) ops = PointsMapper.Batch(body.Root);
        var results = await Api.Db(context).BatchUpdateAsync(Api.Collection(context), ops, write, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ResultMapper.Updates(results), PointsJsonContext.Default.ListUpdateResultDto).ConfigureAwait(false);
    }

    private static async Task Scroll(HttpContext context)
    {
        Api.Read(context);
        ScrollRequest request;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = PointsMapper.Scroll(body.Root);
        var page = await Api.Db(context).ScrollAsync(Api.Collection(context), request, Api.Cancellation(context)).ConfigureAwait(false);
        var dto = new ScrollResultDto(ResultMapper.Records(page.Points, request.WithPayload), page.NextPageOffset);
        await Api.OkAsync(context, dto, PointsJsonContext.Default.ScrollResultDto).ConfigureAwait(false);
    }

    private static async Task Count(HttpContext context)
    {
        Api.Read(context);
        CountRequest request;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = PointsMapper.Count(body.Root);
        long count = await Api.Db(context).CountAsync(Api.Collection(context), request, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, new CountResultDto(count), PointsJsonContext.Default.CountResultDto).ConfigureAwait(false);
    }
}
