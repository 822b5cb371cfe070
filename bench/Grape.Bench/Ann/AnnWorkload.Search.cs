using System.Diagnostics;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;

namespace Grape.Bench.Ann;

internal sealed partial class AnnWorkload
{
    /// <summary>
    /// The ef sweep on the built collection: per ef a batch run (every query, spread over <see cref="_threads"/> threads)
    /// and a serial run (the first <see cref="_serialQueries"/> queries, one call at a time on this thread), in the
    /// order and with the fields of peers.py. Requests are made before the clock starts; the clock covers the API call
    /// and storing its ids.
    /// </summary>
    private void Search(GrapeDatabase db, AnnDataset data, bool indexed, AnnResults results)
    {
        int queries = data.Queries.Rows;
        int serial = _serialQueries == 0 ? queries : Math.Min(_serialQueries, queries);
        int[] efs = indexed || _allEfsUnindexed ? _efs : [_efs[0]];
        if (efs.Length < _efs.Length)
            AnnResults.Note($"exact scans ignore ef: only ef={efs[0]} runs (--all-efs-unindexed runs the whole sweep)");

        WarmUp(db, data, efs, serial);
        foreach (int ef in efs)
        {
            var requests = Requests(data, ef);
            var found = new int[queries * K];
            double seconds = RunBatch(db, requests, found);
            results.Write(SearchRecord(data, indexed, ef, "batch", _threads, queries, Recall.AtK(found, data.Truth, queries, K), queries / seconds));

            var latency = new long[serial];
            var foundSerial = new int[serial * K];
            Settle();
            long start = Stopwatch.GetTimestamp();
            long cpu0 = Workloads.ThreadCpu.Nanoseconds();
            long allocated0 = GC.GetAllocatedBytesForCurrentThread();
            int gen0 = GC.CollectionCount(0);
            for (int i = 0; i < serial; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                var hits = db.Search(Collection, requests[i]);
                latency[i] = Stopwatch.GetTimestamp() - t0;
                Store(hits, foundSerial, i);
            }
            seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long cpu = Workloads.ThreadCpu.Nanoseconds() - cpu0;
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocated0;
            gen0 = GC.CollectionCount(0) - gen0;
            var record = SearchRecord(data, indexed, ef, "serial", 1, serial, Recall.AtK(foundSerial, data.Truth, serial, K), serial / seconds);
            Array.Sort(latency);
            record["p50_us"] = Math.Round(PercentileMicros(latency, 50), 1);
            record["p99_us"] = Math.Round(PercentileMicros(latency, 99), 1);
            record["p90_us"] = Math.Round(PercentileMicros(latency, 90), 1);
            if (cpu0 > 0) record["cpu_us"] = Math.Round(cpu / 1e3 / serial, 2); // this thread's CPU per query (Grape only)
            record["alloc_bytes_per_query"] = allocated / serial; // managed allocation by the search path, and the gen0 GCs it caused
            record["gen0_gcs"] = gen0;
            results.Write(record);
        }
    }

    private JsonObject SearchRecord(AnnDataset data, bool indexed, int ef, string mode, int threads, int queries, double recall, double qps) => new()
    {
        ["kind"] = "search",
        ["dataset"] = data.Name,
        ["engine"] = "grape",
        ["index"] = IndexName,
        ["params"] = Params(indexed, ef),
        ["mode"] = mode,
        ["threads"] = threads,
        ["k"] = K,
        ["n_queries"] = queries,
        ["recall"] = Math.Round(recall, 5),
        ["qps"] = Math.Round(qps, 1),
    };

    private static SearchRequest[] Requests(AnnDataset data, int ef)
    {
        var p = new SearchParams { HnswEf = ef };
        var requests = new SearchRequest[data.Queries.Rows];
        for (int i = 0; i < requests.Length; i++) requests[i] = new SearchRequest(data.Queries.Row(i).ToArray()) { Limit = K, Params = p };
        return requests;
    }

    private static void Store(IReadOnlyList<ScoredPoint> hits, int[] found, int query)
    {
        var row = found.AsSpan(query * K, K);
        for (int j = 0; j < K; j++) row[j] = j < hits.Count ? (int)hits[j].Id.Number : -1;
    }

    /// <summary>
    /// Untimed: rounds of serial calls at every ef of the sweep (up to 500 queries each) for at least three seconds,
    /// then one batch. The JIT's tiering promotes the hot paths only after a delay that restarts while new code is
    /// still being compiled, and its profile-guided layout follows the walks it saw: with one second at the largest ef
    /// only, the first measured ef ran 10-15 % slower than the same ef measured again after it.
    /// </summary>
    private void WarmUp(GrapeDatabase db, AnnDataset data, int[] efs, int serial)
    {
        var sw = Stopwatch.StartNew();
        int n = Math.Max(1, Math.Min(Math.Min(serial, data.Queries.Rows), 500));
        var rounds = new SearchRequest[efs.Length][];
        for (int e = 0; e < efs.Length; e++) rounds[e] = Requests(data, efs[e])[..n];
        while (sw.Elapsed < TimeSpan.FromSeconds(3))
        {
            foreach (var requests in rounds)
                foreach (var request in requests)
                {
                    db.Search(Collection, request);
                    if (sw.Elapsed > TimeSpan.FromSeconds(20)) goto done; // exact scans of a large set: enough is enough
                }
        }
        done:
        var batch = Requests(data, efs[^1]);
        RunBatch(db, batch[..Math.Min(batch.Length, 1000)], new int[Math.Min(batch.Length, 1000) * K]);
        AnnResults.Note($"warm-up {sw.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// Before a serial run: a blocking full collection, so that no background GC started by the batch run's garbage
    /// shares the two cores (and the caches) with the single timed thread: the first serial run after a batch was
    /// often the slowest of its ef (45 against 32 µs per query at ef 16 on the 100k set, measured again in the same run).
    /// </summary>
    private static void Settle()
    {
        FullGc();
        Thread.Sleep(200);
    }

    /// <summary>Every request once, spread over <see cref="_threads"/> threads that take the next index; wall seconds.</summary>
    private double RunBatch(GrapeDatabase db, SearchRequest[] requests, int[] found)
    {
        int next = -1;
        Exception? error = null;
        using var ready = new CountdownEvent(_threads);
        using var go = new ManualResetEventSlim();
        var workers = new Thread[_threads];
        for (int t = 0; t < workers.Length; t++)
        {
            workers[t] = new Thread(() =>
            {
                ready.Signal();
                go.Wait();
                try
                {
                    for (int i = Interlocked.Increment(ref next); i < requests.Length; i = Interlocked.Increment(ref next))
                        Store(db.Search(Collection, requests[i]), found, i);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref error, e, null);
                }
            })
            { IsBackground = true, Name = "ann-batch-" + t };
            workers[t].Start();
        }
        ready.Wait();
        long start = Stopwatch.GetTimestamp();
        go.Set();
        foreach (var w in workers) w.Join();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (error is not null) throw new InvalidOperationException("a batch search failed", error);
        return seconds;
    }

    /// <summary>numpy's default percentile (linear between the two nearest ranks) of sorted Stopwatch ticks, in µs.</summary>
    private static double PercentileMicros(long[] sortedTicks, double percent)
    {
        if (sortedTicks.Length == 0) return double.NaN;
        double rank = percent / 100 * (sortedTicks.Length - 1);
        int lo = (int)Math.Floor(rank), hi = Math.Min(lo + 1, sortedTicks.Length - 1);
        double ticks = sortedTicks[lo] + (rank - lo) * (sortedTicks[hi] - sortedTicks[lo]);
        return ticks * 1e6 / Stopwatch.Frequency;
    }

    /// <summary>
    /// What one call through the embedded API costs apart from the search itself: a search of a 1-point collection
    /// (validation, query copy, segment pinning, result records) through the blocking and the async method, and
    /// <see cref="GrapeDatabase.CollectionExists"/> (the in-flight gate and a catalog lookup). Median µs per call.
    /// </summary>
    private async Task MeasureApiOverheadAsync(GrapeDatabase db, AnnDataset data, AnnResults results)
    {
        const string probe = "ann-overhead-probe";
        const int calls = 20_000;
        if (await db.CollectionExistsAsync(probe)) await db.DeleteCollectionAsync(probe);
        await db.CreateCollectionAsync(probe, CreateCollectionRequest.Single(data.Base.Cols, data.Distance));
        await db.UpsertAsync(probe, [new PointStruct(0UL, data.Base.Row(0).ToArray())], WriteOptions.WaitForDurable);
        var request = new SearchRequest(data.Queries.Row(0).ToArray()) { Limit = K, Params = new SearchParams { HnswEf = _efs[0] } };
        var ticks = new long[calls];

        double Median() { Array.Sort(ticks); return Math.Round(PercentileMicros(ticks, 50), 2); }
        for (int round = 0; round < 2; round++) // the first round warms the JIT up
        {
            for (int i = 0; i < calls; i++) { long t0 = Stopwatch.GetTimestamp(); db.Search(probe, request); ticks[i] = Stopwatch.GetTimestamp() - t0; }
        }
        double blocking = Median();
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < calls; i++) { long t0 = Stopwatch.GetTimestamp(); await db.SearchAsync(probe, request); ticks[i] = Stopwatch.GetTimestamp() - t0; }
        }
        double async = Median();
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < calls; i++) { long t0 = Stopwatch.GetTimestamp(); db.CollectionExists(probe); ticks[i] = Stopwatch.GetTimestamp() - t0; }
        }
        double trivial = Median();
        await db.DeleteCollectionAsync(probe);
        results.Write(new JsonObject
        {
            ["kind"] = "api_overhead",
            ["dataset"] = data.Name,
            ["engine"] = "grape",
            ["index"] = IndexName,
            ["search_1_point_blocking_us"] = blocking,
            ["search_1_point_async_us"] = async,
            ["collection_exists_us"] = trivial,
        });
        AnnResults.Note($"API overhead per call (median): search of a 1-point collection {blocking} µs blocking, {async} µs async; " +
                        $"CollectionExists {trivial} µs. The sweep uses the blocking Search (SearchAsync completes synchronously; same path).");
    }
}
