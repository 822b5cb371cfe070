using System.Net;
using Grape.Server.Auth;
using Grape.Server.Errors;
using Grape.Server.Grpc.Hosting;
using Grape.Server.Observability;
using Grape.Server.Rest.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grape.Server.Hosting;

/// <summary>Builds the web application from <see cref="ServerSettings"/>: services, middleware order, and every route.</summary>
internal static class GrapeServer
{
    /// <param name="configure">Lets tests swap the server (TestServer) before the app is built.</param>
    public static WebApplication Build(ServerSettings settings, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; o.UseUtcTimestamp = true; });
        builder.Logging.SetMinimumLevel(ParseLogLevel(settings.LogLevel));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // While its hosting logger is on at any level, ASP.NET starts an Activity and a log scope for every request (trace
        // headers parsed, Activity.Current set and restored). That category only logs request start and end at
        // Information; errors are logged by Grape's error middleware and by Kestrel. Off, no Activity is made (with no
        // tracing listener). The CPU saved per search request was below this host's noise in paired runs (≤ 1 µs).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = settings.MaxRequestBytes;
            GrpcHosting.ConfigureKestrel(k, settings);
            Listen(k, settings.Host, settings.HttpPort, HttpProtocols.Http1AndHttp2);
            // gRPC: HTTP/2 cleartext (prior knowledge), as Qdrant's tonic server on 6334; null disables it.
            if (settings.GrpcPort is { } grpcPort) Listen(k, settings.Host, grpcPort, HttpProtocols.Http2);
        });
        // On two cores, socket completions go straight to the thread pool instead of through Kestrel's I/O queues (one per
        // core by default), which only add a hand-off there: measured with wrk (16 connections) on this 2-core machine,
        // 0.94 instead of 1.10 context switches and 25.8 instead of 27.2 µs of server CPU per small search, +8 % requests/s;
        // +6 % on searches of 100,000 points. More cores keep Kestrel's default (not measured here).
        if (Environment.ProcessorCount <= 2) builder.WebHost.UseSockets(o => o.IOQueueCount = 0);
        // Large transport blocks: a request body arrives in a few receives instead of one per 4 KiB.
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, TransportMemoryPoolFactory>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.CloseTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddSingleton<DatabaseHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseHost>());
        builder.Services.AddRouting();
        GrpcHosting.AddServices(builder.Services, settings);
        if (settings.EnableCors) builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader()));
        configure?.Invoke(builder);

        var app = builder.Build();
        // Order: time + count every response, turn exceptions into Qdrant error bodies, CORS, route, then check keys
        // (after routing: the endpoint's access level decides), then the endpoint.
        // gRPC calls skip the REST middleware: their errors and keys are handled by the gRPC interceptors.
        app.UseWhen(GrpcHosting.IsRest, rest =>
        {
            rest.UseMiddleware<RequestMetricsMiddleware>();
            rest.UseMiddleware<ErrorHandlingMiddleware>();
        });
        if (settings.EnableCors) app.UseCors();
        app.UseRouting();
        app.UseWhen(GrpcHosting.IsRest, rest =>
        {
            rest.UseMiddleware<Rest.UnknownRouteMiddleware>();
            rest.UseMiddleware<ApiKeyMiddleware>();
        });

        ServiceEndpoints.Map(app);
        ObservabilityEndpoints.Map(app);
        CollectionsEndpoints.Map(app);
        AliasesEndpoints.Map(app);
        PointsEndpoints.Map(app);
        IndexEndpoints.Map(app);
        SearchEndpoints.Map(app);
        QueryEndpoints.Map(app);
        RecommendEndpoints.Map(app);
        GrpcHosting.Map(app);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Grape.Server");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            ServerLog.Listening(logger, settings.Host, settings.HttpPort);
            ServerLog.EventThreadsBatched(logger, SocketThreadScheduling.Apply());
        });
        return app;
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions k, string host, int port, HttpProtocols protocols)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) k.ListenLocalhost(port, o => o.Protocols = protocols);
        else k.Listen(IPAddress.TryParse(host, out var ip) ? ip : IPAddress.Any, port, o => o.Protocols = protocols);
    }

    // Qdrant's log_level is a tracing filter ("INFO", "debug", "info,qdrant=debug"); the first directive sets the level.
    private static LogLevel ParseLogLevel(string value) => value.Split(',')[0].Trim().ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "OFF" => LogLevel.None,
        _ => LogLevel.Information,
    };
}
