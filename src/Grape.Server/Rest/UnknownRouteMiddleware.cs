using Grape.Server.Rest.Endpoints;
using Microsoft.AspNetCore.Http;

namespace Grape.Server.Rest;

/// <summary>
/// ASP.NET answers 405 when a path matches a route of another method (POST .../points/recommend matches
/// GET .../points/{id}); Qdrant answers such unknown routes 404. Only endpoints we mapped (with an
/// <see cref="ApiOperation"/>) are kept; anything else routing produced becomes "no endpoint", hence 404.
/// </summary>
internal sealed class UnknownRouteMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is { } e && e.Metadata.GetMetadata<ApiOperation>() is null) context.SetEndpoint(null);
        return next(context);
    }
}
