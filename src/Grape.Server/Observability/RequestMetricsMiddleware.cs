using Grape.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grape.Server.Observability;

/// <summary>Stamps the start time (with the services handlers use, see <see cref="RequestTiming"/>) and counts every
/// response by route pattern (not raw path: bounded label set).</summary>
internal sealed class RequestMetricsMiddleware(RequestDelegate next, ServerMetrics metrics, DatabaseHost host, ServerSettings settings)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var timing = RequestTiming.Start(context, host, settings);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            string endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unknown";
            metrics.Record(context.Request.Method, endpoint, context.Response.StatusCode, timing.ElapsedTime);
        }
    }
}
