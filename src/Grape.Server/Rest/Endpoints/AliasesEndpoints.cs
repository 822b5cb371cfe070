using Grape.Core.Collections;
using Grape.Server.Auth;
using Grape.Server.Rest.Dto;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>Qdrant's Aliases group: atomic alias changes, aliases of one collection, all aliases.</summary>
internal static class AliasesEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map("POST", "/collections/aliases", Update, AccessLevel.Write, "update_aliases", "Aliases", "Create, delete and rename aliases atomically", body: "ChangeAliasesOperation", query: ["timeout"]);
        app.Map("GET", "/collections/{collection_name}/aliases", ListForCollection, AccessLevel.Read, "get_collection_aliases", "Aliases", "Aliases of a collection", result: "CollectionsAliasesResponse");
        app.Map("GET", "/aliases", ListAll, AccessLevel.Read, "get_collections_aliases", "Aliases", "Every alias", result: "CollectionsAliasesResponse");
    }

    private static async Task Update(HttpContext context)
    {
        Api.Read(context);
        List<AliasOperation> ops;
        using (var body = await Api.BodyAsync(context).ConfigureAwait(false)) ops = CollectionsMapper.Aliases(body.Root);
        bool ok = await Api.Db(context).UpdateAliasesAsync(ops, Api.Cancellation(context)).ConfigureAwait(false);
        await Api.OkAsync(context, ok, CollectionsJsonContext.Default.Boolean).ConfigureAwait(false);
    }

    private static async Task ListForCollection(HttpContext context)
    {
        var aliases = await Api.Db(context).ListAliasesAsync(Api.Collection(context), context.RequestAborted).ConfigureAwait(false);
        await Write(context, aliases).ConfigureAwait(false);
    }

    private static async Task ListAll(HttpContext context) =>
        await Write(context, await Api.Db(context).ListAliasesAsync(null, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);

    private static Task Write(HttpContext context, IReadOnlyList<AliasDescription> aliases)
    {
        var list = new List<AliasDescriptionDto>(aliases.Count);
        foreach (var a in aliases) list.Add(new AliasDescriptionDto(a.AliasName, a.CollectionName));
        return Api.OkAsync(context, new AliasesResponseDto(list), CollectionsJsonContext.Default.AliasesResponseDto);
    }
}
