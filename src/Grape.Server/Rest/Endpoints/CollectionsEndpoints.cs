using Grape.Core.Collections;
using Grape.Server.Auth;
using Grape.Server.Rest.Dto;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>Qdrant's Collections group: list, info, create, update, delete, exists.</summary>
internal static class CollectionsEndpoints
{
    private static readonly string[] TimeoutParam = ["timeout"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map("GET", "/collections", List, AccessLevel.Read, "get_collections", "Collections", "List collections", result: "CollectionsResponse");
        app.Map("GET", "/collections/{collection_name}", Info, AccessLevel.Read, "get_collection", "Collections", "Collection info", result: "CollectionInfo");
        app.Map("PUT", "/collections/{collection_name}", Create, AccessLevel.Write, "create_collection", "Collections", "Create a collection", body: "CreateCollection", query: TimeoutParam);
        app.Map("PATCH", "/collections/{collection_name}", Update, AccessLevel.Write, "update_collection", "Collections", "Update a collection's parameters", body: "UpdateCollection", query: TimeoutParam);
        app.Map("DELETE", "/collections/{collection_name}", Delete, AccessLevel.Write, "delete_collection", "Collections", "Delete a collection (false if it did not exist)", query: TimeoutParam);
        app.Map("GET", "/collections/{collection_name}/exists", Exists, AccessLevel.Read, "collection_exists", "Collections", "Whether a collection exists", result: "CollectionExistence");
    }

    private static async Task List(HttpContext context)
    {
        var names = await Api.Db(context).ListCollectionsAsync(context.RequestAborted).ConfigureAwait(false);
        var list = new List<CollectionDescriptionDto>(names.Count);
        foreach (var n in names) list.Add(new CollectionDescriptionDto(n));
        await Api.OkAsync(context, new CollectionsResponseDto(list), CollectionsJsonContext.Default.CollectionsResponseDto).ConfigureAwait(false);
    }

    private static async Task Info(HttpContext context)
    {
        var info = await Api.Db(context).GetCollectionInfoAsync(Api.Collection(context), context.RequestAborted).ConfigureAwait(false);
        await Api.OkAsync(context, CollectionsMapper.Info(info), CollectionsJsonContext.Default.CollectionInfoDto).ConfigureAwait(false);
    }

    private static async Task Create(HttpContext context)
    {
        string name = Api.Collection(context);
        CollectionsMapper.ValidateNewName(name);
        Api.Read(context);
        CreateCollectionRequest request;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = CollectionsMapper.Create(body.Root);
        bool ok = await Api.Db(context).CreateCollectionAsync(name, request, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ok, CollectionsJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    private static async Task Update(HttpContext context)
    {
        Api.Read(context);
        UpdateCollectionRequest request;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) request = CollectionsMapper.Update(body.Root);
        bool ok = await Api.Db(context).UpdateCollectionAsync(Api.Collection(context), request, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ok, CollectionsJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    private static async Task Delete(HttpContext context)
    {
        Api.Read(context);
        bool existed = await Api.Db(context).DeleteCollectionAsync(Api.Collection(context), Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, existed, CollectionsJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    private static async Task Exists(HttpContext context)
    {
        bool exists = await Api.Db(context).CollectionExistsAsync(Api.Collection(context), context.RequestAborted).ConfigureAwait(false);
        await Api.OkAsync(context, new CollectionExistenceDto(exists), CollectionsJsonContext.Default.CollectionExistenceDto).ConfigureAwait(false);
    }
}
