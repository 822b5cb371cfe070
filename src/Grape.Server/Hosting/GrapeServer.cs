using System.Net;
using Grape.Server.Auth;
using Grape.Server.Errors;
using Grape.Server.Observability;
using Grape.Server.Rest.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
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

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = settings.MaxRequestBytes;
            if (string.Equals(settings.Host, "localhost", StringComparison.OrdinalIgnoreCase)) k.ListenLocalhost(settings.HttpPort);
            else k.Listen(IPAddress.TryParse(settings.Host, out var ip) ? ip : IPAddress.Any, settings.HttpPort);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.CloseTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<ApiKeyValidator>();
        builder.Services.AddSingleton<DatabaseHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseHost>());
        builder.Services.AddRouting();
        if (settings.EnableCors) builder.Services.AddCors(o => o.AddDefaultPolicy(p => p.AllowAnyOrigin().AllowAnyMethod().AllowAnyHeader()));
        configure?.Invoke(builder);

        var app = builder.Build();
        // Order: time + count every response, turn exceptions into Qdrant error bodies, CORS, route, then check keys
        // (after routing: the endpoint's access level decides), then the endpoint.
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        if (settings.EnableCors) app.UseCors();
        app.UseRouting();
        app.UseMiddleware<Rest.UnknownRouteMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();

        ServiceEndpoints.Map(app);
        ObservabilityEndpoints.Map(app);
        CollectionsEndpoints.Map(app);
        AliasesEndpoints.Map(app);
        PointsEndpoints.Map(app);
        SearchEndpoints.Map(app);
        QueryEndpoints.Map(app);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Grape.Server");
        app.Lifetime.ApplicationStarted.Register(() => ServerLog.Listening(logger, settings.Host, settings.HttpPort));
        return app;
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
