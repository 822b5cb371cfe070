using System.Diagnostics;
using Grape.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Grape.Server.Observability;

/// <summary>
/// What the first REST middleware records for one request: when it started (for the envelope's <c>time</c> and the
/// duration metrics) and the app's services every handler uses, so that a handler needs no request service scope
/// (ASP.NET opens one on the first use of <c>RequestServices</c>). One object per request, kept as a feature.
/// </summary>
internal sealed class RequestTiming
{
    private readonly long _start;

    private RequestTiming(long start, DatabaseHost host, ServerSettings settings)
    {
        _start = start;
        Host = host;
        Settings = settings;
    }

    public DatabaseHost Host { get; }

    public ServerSettings Settings { get; }

    /// <summary>Time since the start.</summary>
    public TimeSpan ElapsedTime => Stopwatch.GetElapsedTime(_start);

    public static RequestTiming Start(HttpContext context, DatabaseHost host, ServerSettings settings)
    {
        var timing = new RequestTiming(Stopwatch.GetTimestamp(), host, settings);
        context.Features.Set(timing);
        return timing;
    }

    public static double Elapsed(HttpContext context) =>
        context.Features.Get<RequestTiming>() is { } t ? t.ElapsedTime.TotalSeconds : 0.0;

    public static DatabaseHost HostOf(HttpContext context) =>
        context.Features.Get<RequestTiming>()?.Host ?? context.RequestServices.GetRequiredService<DatabaseHost>();

    public static ServerSettings SettingsOf(HttpContext context) =>
        context.Features.Get<RequestTiming>()?.Settings ?? context.RequestServices.GetRequiredService<ServerSettings>();
}
