using System.Globalization;
using System.Text;
using Grape.Core.Embedded;
using Grape.Server.Auth;
using Grape.Server.Hosting;
using Grape.Server.Rest;
using Grape.Server.Rest.Dto;
using Grape.Server.Rest.Endpoints;
using Grape.Server.Rest.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Grape.Server.Observability;

/// <summary>Health probes (Qdrant's texts), Prometheus <c>/metrics</c> and <c>/telemetry</c>.</summary>
internal static class ObservabilityEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map("GET", "/healthz", Healthz, AccessLevel.Open, "healthz", "Service", "Kubernetes healthz endpoint", result: "text");
        app.Map("GET", "/livez", Healthz, AccessLevel.Open, "livez", "Service", "Kubernetes livez endpoint", result: "text");
        app.Map("GET", "/readyz", Readyz, AccessLevel.Open, "readyz", "Service", "Kubernetes readyz endpoint: 503 until storage is open", result: "text");
        app.Map("GET", "/metrics", Metrics, AccessLevel.Read, "metrics", "Service", "Prometheus metrics", result: "text", query: ["anonymize", "per_collection", "timeout"]);
        app.Map("GET", "/telemetry", Telemetry, AccessLevel.Read, "telemetry", "Service", "Telemetry", result: "TelemetryData", query: ["anonymize", "details_level", "per_collection", "timeout"]);
    }

    private static Task Healthz(HttpContext context) => Text(context, 200, "healthz check passed");

    private static Task Readyz(HttpContext context) =>
        context.RequestServices.GetRequiredService<DatabaseHost>().IsReady
            ? Text(context, 200, "all shards are ready")
            : Text(context, 503, "some shards are not ready");

    private static Task Text(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static async Task Metrics(HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<ServerSettings>();
        var metrics = context.RequestServices.GetRequiredService<ServerMetrics>();
        // Metrics answer while storage is still opening (or closed): the engine gauges are then simply absent.
        var host = context.RequestServices.GetRequiredService<DatabaseHost>();
        var db = host.IsReady ? host.Database : null;
        string p = settings.MetricsPrefix ?? "";
        var sb = new StringBuilder(4096);
        var inv = CultureInfo.InvariantCulture;

        Header(sb, p, "app_info", "gauge", "information about the Grape server");
        sb.Append(inv, $"{p}app_info{{name=\"grape\",version=\"{ServiceEndpoints.Version}\"}} 1\n");
        Header(sb, p, "app_status_recovery_mode", "gauge", "features enabled in Grape server");
        sb.Append(inv, $"{p}app_status_recovery_mode 0\n");

        if (db is not null)
        {
            var names = await db.ListCollectionsAsync(context.RequestAborted).ConfigureAwait(false);
            Header(sb, p, "collections_total", "gauge", "number of collections");
            sb.Append(inv, $"{p}collections_total {names.Count}\n");
            Header(sb, p, "grape_operations_in_flight", "gauge", "engine operations executing now");
            sb.Append(inv, $"{p}grape_operations_in_flight {db.OperationsInFlight}\n");
        }
        Header(sb, p, "process_uptime_seconds", "gauge", "seconds since the server started");
        sb.Append(inv, $"{p}process_uptime_seconds {(DateTimeOffset.UtcNow - metrics.StartedAt).TotalSeconds:0.###}\n");

        var stats = metrics.Snapshot();
        Header(sb, p, "rest_responses_total", "counter", "total number of responses");
        foreach (var s in stats) sb.Append(inv, $"{p}rest_responses_total{{method=\"{s.Method}\",endpoint=\"{Escape(s.Endpoint)}\",status=\"{s.Status}\"}} {s.Count}\n");
        Header(sb, p, "rest_responses_fail_total", "counter", "total number of failed responses");
        foreach (var s in stats.Where(s => s.Status >= 400)) sb.Append(inv, $"{p}rest_responses_fail_total{{method=\"{s.Method}\",endpoint=\"{Escape(s.Endpoint)}\",status=\"{s.Status}\"}} {s.Count}\n");
        Header(sb, p, "rest_responses_duration_seconds_sum", "counter", "total time spent answering, by route and status");
        foreach (var s in stats) sb.Append(inv, $"{p}rest_responses_duration_seconds_sum{{method=\"{s.Method}\",endpoint=\"{Escape(s.Endpoint)}\",status=\"{s.Status}\"}} {s.TotalSeconds:0.######}\n");

        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await context.Response.WriteAsync(sb.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static void Header(StringBuilder sb, string prefix, string name, string type, string help) =>
        sb.Append("# HELP ").Append(prefix).Append(name).Append(' ').Append(help).Append('\n')
          .Append("# TYPE ").Append(prefix).Append(name).Append(' ').Append(type).Append('\n');

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static async Task Telemetry(HttpContext context)
    {
        var metrics = context.RequestServices.GetRequiredService<ServerMetrics>();
        var db = Api.Db(context);
        bool detailed = context.Request.Query.TryGetValue("details_level", out var d) && int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int level) && level >= 1;
        var names = await db.ListCollectionsAsync(context.RequestAborted).ConfigureAwait(false);
        List<TelemetryCollectionDto>? collections = null;
        if (detailed)
        {
            collections = [];
            foreach (var n in names)
            {
                try
                {
                    var info = await db.GetCollectionInfoAsync(n, context.RequestAborted).ConfigureAwait(false);
                    collections.Add(new TelemetryCollectionDto(n, info.PointsCount, info.SegmentsCount, info.Status.ToString().ToLowerInvariant()));
                }
                catch (Core.Errors.NotFoundException) { /* deleted meanwhile */ }
            }
        }
        var responses = new Dictionary<string, Dictionary<string, TelemetryResponseDto>>(StringComparer.Ordinal);
        foreach (var s in metrics.Snapshot())
        {
            string key = $"{s.Method} {s.Endpoint}";
            if (!responses.TryGetValue(key, out var byStatus)) responses[key] = byStatus = new Dictionary<string, TelemetryResponseDto>(StringComparer.Ordinal);
            byStatus[s.Status.ToString(CultureInfo.InvariantCulture)] = new TelemetryResponseDto(s.Count, s.Count == 0 ? 0 : s.TotalSeconds * 1e6 / s.Count);
        }
        var dto = new TelemetryDto(
            InstanceId(db),
            new TelemetryAppDto("grape", ServiceEndpoints.Version, metrics.StartedAt, (DateTimeOffset.UtcNow - metrics.StartedAt).TotalSeconds),
            new TelemetryCollectionsDto(names.Count, collections),
            new TelemetryRequestsDto(new TelemetryRestDto(responses)));
        await Api.OkAsync(context, dto, ServiceJsonContext.Default.TelemetryDto).ConfigureAwait(false);
    }

    // Stable per storage folder, without storing anything: a name-based id of the full path.
    private static string InstanceId(GrapeDatabase db)
    {
        byte[] hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(db.Options.StoragePath ?? "memory"));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }
}
