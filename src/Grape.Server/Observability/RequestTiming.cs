using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Grape.Server.Observability;

/// <summary>When the request started, for the envelope's <c>time</c> and the duration metrics.</summary>
internal static class RequestTiming
{
    private const string Key = "grape.start";

    public static void Start(HttpContext context) => context.Items[Key] = Stopwatch.GetTimestamp();

    public static double Elapsed(HttpContext context) =>
        context.Items.TryGetValue(Key, out var v) && v is long start ? Stopwatch.GetElapsedTime(start).TotalSeconds : 0.0;
}
