using Grape.Server.Errors;
using Grape.Server.Observability;
using Microsoft.AspNetCore.Http;

namespace Grape.Server.Auth;

/// <summary>
/// Enforces api_key / read_only_api_key as Qdrant does: the key comes from the <c>api-key</c> header or
/// <c>Authorization: Bearer</c>; a missing or wrong key is 401 with a plain-text body (Qdrant's middleware answer);
/// the read-only key on a write is 403 with the JSON error body (Qdrant's access check in the handler).
/// Runs after routing so the endpoint's <see cref="AccessMetadata"/> is known; unmatched routes need a key too.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyValidator validator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!validator.Enabled) { await next(context).ConfigureAwait(false); return; }
        var level = context.GetEndpoint()?.Metadata.GetMetadata<AccessMetadata>()?.Level ?? AccessLevel.Write;
        if (level == AccessLevel.Open) { await next(context).ConfigureAwait(false); return; }

        string? key = context.Request.Headers["api-key"].FirstOrDefault();
        if (key is null && context.Request.Headers.Authorization.FirstOrDefault() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal))
            key = auth["Bearer ".Length..];
        if (key is null)
        {
            await PlainAsync(context, StatusCodes.Status401Unauthorized, "Must provide an API key or an Authorization bearer token").ConfigureAwait(false);
            return;
        }
        var granted = validator.Check(key);
        if (granted is null)
        {
            await PlainAsync(context, StatusCodes.Status401Unauthorized, "Invalid API key or JWT").ConfigureAwait(false);
            return;
        }
        if (granted == AccessLevel.Read && level == AccessLevel.Write)
        {
            await ErrorBodyWriter.WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden: Global manage access is required", RequestTiming.Elapsed(context)).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    private static Task PlainAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
