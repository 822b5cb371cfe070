using System.Diagnostics;

namespace Grape.Bench.Load;

/// <summary>What a closed-loop run measured: completed operations, wall time and per-operation latencies.</summary>
internal sealed record LoadResult(long Operations, double Seconds, long[] LatencyTicks)
{
    public double PerSecond => Operations / Seconds;

    /// <summary>The <paramref name="p"/>-th percentile latency in milliseconds (nearest rank).</summary>
    public double PercentileMs(double p)
    {
        if (LatencyTicks.Length == 0) return double.NaN;
        int rank = (int)Math.Ceiling(p / 100 * LatencyTicks.Length) - 1;
        return LatencyTicks[Math.Clamp(rank, 0, LatencyTicks.Length - 1)] * 1000.0 / Stopwatch.Frequency;
    }
}

/// <summary>
/// Runs <c>concurrency</c> workers that each issue one operation at a time, back to back: for a fixed duration, or
/// over a fixed list of jobs (each job once, shared by the workers).
/// </summary>
internal static class ClosedLoop
{
    public static async Task<LoadResult> ForDurationAsync(int concurrency, TimeSpan duration, Func<long, Task> operation)
    {
        var lists = new List<long>[concurrency];
        long next = -1;
        var sw = Stopwatch.StartNew();
        long end = (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            var mine = lists[w] = new List<long>(1 << 14);
            workers[w] = Task.Run(async () =>
            {
                while (sw.ElapsedTicks < end)
                {
                    long i = Interlocked.Increment(ref next);
                    long t0 = Stopwatch.GetTimestamp();
                    await operation(i).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetTimestamp() - t0);
                }
            });
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        sw.Stop();
        return Collect(lists, sw.Elapsed.TotalSeconds);
    }

    public static Task<LoadResult> OverJobsAsync(int concurrency, int jobs, Func<int, Task> operation) =>
        OverJobsAsync(concurrency, jobs, (_, job) => operation(job));

    /// <summary>Each job once, shared by the workers; the operation is told which worker (0..concurrency-1) runs it.</summary>
    public static async Task<LoadResult> OverJobsAsync(int concurrency, int jobs, Func<int, int, Task> operation)
    {
        var lists = new List<long>[concurrency];
        int next = -1;
        var sw = Stopwatch.StartNew();
        var workers = new Task[concurrency];
        for (int w = 0; w < concurrency; w++)
        {
            var mine = lists[w] = new List<long>(jobs / concurrency + 1);
            int worker = w;
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < jobs)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    await operation(worker, i).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetTimestamp() - t0);
                }
            });
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        sw.Stop();
        return Collect(lists, sw.Elapsed.TotalSeconds);
    }

    private static LoadResult Collect(List<long>[] lists, double seconds)
    {
        int total = 0;
        foreach (var l in lists) total += l.Count;
        var all = new long[total];
        int at = 0;
        foreach (var l in lists)
        {
            l.CopyTo(all, at);
            at += l.Count;
        }
        Array.Sort(all);
        return new LoadResult(total, seconds, all);
    }
}
