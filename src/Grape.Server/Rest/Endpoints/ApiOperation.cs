using Grape.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Rest.Endpoints;

/// <summary>
/// What /openapi.json says about an endpoint; attached to the endpoint itself, so the document is generated from the
/// routes that really exist. <paramref name="Body"/> names the Qdrant request schema, <paramref name="Result"/> the
/// result schema, <paramref name="Query"/> lists accepted query parameters.
/// </summary>
internal sealed record ApiOperation(string OperationId, string Tag, string Summary, string? Body, string Result, string[] Query);

internal static class ApiRoutes
{
    public static readonly string[] WriteParams = ["wait", "ordering", "timeout"];
    public static readonly string[] ReadParams = ["consistency", "timeout"];

    /// <summary>Maps one Qdrant operation: its handler, its access level and its OpenAPI description.</summary>
    public static IEndpointConventionBuilder Map(this IEndpointRouteBuilder app, string method, string pattern, RequestDelegate handler,
        AccessLevel access, string operationId, string tag, string summary, string? body = null, string result = "boolean", string[]? query = null) =>
        app.MapMethods(pattern, [method], handler)
            .WithMetadata(new AccessMetadata(access), new ApiOperation(operationId, tag, summary, body, result, query ?? []));
}
