using System.Collections.Concurrent;
using System.Diagnostics;

namespace Grape.Server.Observability;

/// <summary>Counters the server exports on /metrics and /telemetry: REST responses by route and status, and their durations.</summary>
internal sealed class ServerMetrics
{
    private readonly ConcurrentDictionary<(string Method, string Endpoint, int Status), Entry> _responses = new();

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public long StartTimestamp { get; } = Stopwatch.GetTimestamp();

    public void Record(string method, string endpoint, int status, TimeSpan duration)
    {
        var e = _responses.GetOrAdd((method, endpoint, status), static _ => new Entry());
        Interlocked.Increment(ref e.Count);
        Interlocked.Add(ref e.Ticks, duration.Ticks);
    }

    public IReadOnlyList<ResponseStats> Snapshot()
    {
        var list = new List<ResponseStats>(_responses.Count);
        foreach (var (k, e) in _responses)
            list.Add(new ResponseStats(k.Method, k.Endpoint, k.Status, Volatile.Read(ref e.Count), TimeSpan.FromTicks(Volatile.Read(ref e.Ticks)).TotalSeconds));
        list.Sort((a, b) => (a.Endpoint, a.Method, a.Status).CompareTo((b.Endpoint, b.Method, b.Status)));
        return list;
    }

    private sealed class Entry { public long Count; public long Ticks; }
}

internal sealed record ResponseStats(string Method, string Endpoint, int Status, long Count, double TotalSeconds);
