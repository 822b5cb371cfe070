using Grape.Server.Auth;
using Grape.Server.Rest.Dto;
using Grape.Server.Rest.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>Qdrant's service group: <c>/</c> (bare version info), <c>/issues</c>, and Grape's <c>/openapi.json</c>.</summary>
internal static class ServiceEndpoints
{
    public static string Version { get; } = typeof(ServiceEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>The Qdrant API version whose REST and gRPC surface Grape serves.</summary>
    public const string QdrantApiVersion = "1.19.0";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map("GET", "/", Root, AccessLevel.Open, "root", "Service", "Version information (bare object, no envelope)", result: "VersionInfo");
        // Grape detects no performance issues yet, so the list is honestly empty; clearing it is a no-op success.
        app.Map("GET", "/issues", Issues, AccessLevel.Read, "get_issues", "Beta", "Issues detected in the running instance", result: "Issues");
        app.Map("DELETE", "/issues", ClearIssues, AccessLevel.Write, "clear_issues", "Beta", "Clear the reported issues");
        app.Map("GET", "/openapi.json", OpenApi, AccessLevel.Read, "openapi", "Service", "This API's OpenAPI 3 document, generated from the routes", result: "object");
    }

    private static async Task Root(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, new VersionInfoDto("grape - vector search engine (Qdrant-compatible)", QdrantApiVersion, null, Version),
            ServiceJsonContext.Default.VersionInfoDto, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task Issues(HttpContext context) => Api.OkAsync(context, new IssuesDto([]), ServiceJsonContext.Default.IssuesDto);

    private static Task ClearIssues(HttpContext context) => Api.OkAsync(context, true, Json.CollectionsJsonContext.Default.Boolean);

    private static async Task OpenApi(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        var bytes = OpenApiDocument.Generate(context.RequestServices.GetService(typeof(EndpointDataSource)) as EndpointDataSource, Version);
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
