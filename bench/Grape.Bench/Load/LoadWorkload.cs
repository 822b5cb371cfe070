using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Grape.Bench.Workloads;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grpc.Net.Client;
using G = Grape.Server.Grpc.Ingest;
using Q = Qdrant.Client.Grpc;

namespace Grape.Bench.Load;

/// <summary>
/// The server under load, beside the embedded engine on the same data in the same run (bench/rest-load.sh):
/// <list type="number">
/// <item>upserts: the points in batches (<c>wait=true</c>, N concurrent callers) into fresh collections, through the
/// embedded engine and through the server's REST API (HTTP/1.1 keep-alive, server in its own process), the two sides'
/// timed loads taken in turn and each side's median rate the figure;</item>
/// <item>searches: the embedded engine's with N concurrent callers, and the REST API's driven by <c>wrk</c> (a third
/// process) with N connections, the two sides timed in slices taken in turn;</item>
/// <item>gRPC on the same server and data: searches with N concurrent calls multiplexed on one HTTP/2 connection;</item>
/// <item>gRPC streaming ingest (<c>grape.Ingest/Upsert</c>) of a separate, larger collection: batches sent with
/// <c>wait=false</c> (acknowledged once in the write-ahead log) and the last with <c>wait=true</c>, whose ack means
/// every batch of the stream is durable and visible; the clock stops at that ack, then the count is checked.</item>
/// </list>
/// Requests are prepared before the clocks start. Client and server share the machine's cores, so each phase also
/// reports the server's CPU time per operation.
/// </summary>
internal sealed class LoadWorkload
{
    private const string Collection = "bench";
    private const string IngestCollection = "ingest";
    private const string WarmupCollection = "warmup";
    /// <summary>Qdrant's default indexing_threshold (KB), switched on once the data is loaded.</summary>
    private const int IndexingThresholdKb = 10_000;

    private readonly int _points, _dim, _concurrency, _batch, _queries, _ingestPoints, _ingestBatch;
    private readonly TimeSpan _duration;
    /// <summary>Untimed warm-up before the upsert and search phases, the same rule on every side (see
    /// <see cref="WarmUpAsync"/>): at least this long, then until tiered JIT (with PGO) has settled on the path measured.
    /// The server has much more code on its path (Kestrel, routing, JSON) than the embedded call, and on two busy cores
    /// a fixed 2-3 s left it compiling through the timed phase.</summary>
    private readonly TimeSpan _warmUp;
    private readonly string _serverDll;
    private readonly bool _skipGrpc;
    /// <summary>Only the upsert phases, embedded and REST (for comparing write paths quickly).</summary>
    private readonly bool _upsertOnly;
    private readonly List<(string Metric, double Value, string Unit, (string, JsonNode?)[] Extra)> _results = [];
    private readonly JsonLines _out;

    private LoadWorkload(BenchArgs args)
    {
        bool quick = args.Flag("quick");
        _points = args.Int("points", quick ? 20_000 : 100_000);
        _dim = args.Int("dim", 128);
        _concurrency = args.Int("concurrency", 16);
        _batch = args.Int("batch", 100);
        _queries = args.Int("queries", 1000);
        _duration = TimeSpan.FromSeconds(args.Double("duration", quick ? 5 : 20));
        _warmUp = TimeSpan.FromSeconds(args.Double("warmup", quick ? 5 : 10));
        _ingestPoints = args.Int("ingest-points", quick ? 100_000 : 1_000_000);
        _ingestBatch = args.Int("ingest-batch", 1000);
        _skipGrpc = args.Flag("skip-grpc");
        _upsertOnly = args.Flag("upsert-only");
        _serverDll = args.String("server-dll") ?? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Grape.Server/bin/Release/net10.0/Grape.Server.dll"));
        args.RejectUnknown();
        _out = new JsonLines("rest-load", [new("points", _points), new("dim", _dim), new("concurrency", _concurrency)]);
    }

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var w = new LoadWorkload(args);
        string wrk = Wrk.Find() ?? throw new InvalidOperationException("wrk is not installed (bench/rest-load.sh installs Debian's wrk)");
        JsonLines.Note($"{w._points:N0} × {w._dim} cosine points, {w._concurrency} concurrent clients, {w._duration.TotalSeconds:0} s per search phase, {Environment.ProcessorCount} cores shared by client and server");
        var data = new LoadData(w._points, w._dim, w._queries);
        await using var embedded = await EmbeddedSide.OpenAsync(data);
        await using var server = await ServerProcess.StartAsync(w._serverDll, CancellationToken.None);
        JsonLines.Note($"server pid {server.Pid}: REST {server.HttpBase}, gRPC {server.GrpcBase}");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = w._concurrency, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = server.HttpBase,
            Timeout = TimeSpan.FromMinutes(5),
        };
        await w.UpsertsAsync(data, embedded, server, http);
        if (!w._upsertOnly)
        {
            await w.EmbeddedSearchReadyAsync(embedded);
            await w.ServerSearchesAsync(data, wrk, embedded, server, http);
        }
        w.Report();
        return 0;
    }

    /// <summary>The collection settings of every upsert target: the bulk load Qdrant advises (indexing deferred), so the
    /// upsert figures compare the write paths rather than how much of the HNSW build happened to overlap the load;
    /// indexing is switched on afterwards.</summary>
    private CreateCollectionRequest BulkLoadCollection => CreateCollectionRequest.Single(_dim, Distance.Cosine) with
    {
        OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 0 },
    };

    private string BulkLoadCollectionJson => $"{{\"vectors\":{{\"size\":{_dim},\"distance\":\"Cosine\"}},\"optimizers_config\":{{\"indexing_threshold\":0}}}}";

    /// <summary>
    /// One side of the upsert comparison: how it makes a fresh target collection, loads all points into it (the timed
    /// part), drops it, and the CPU clock that counts its work (this process for the embedded engine, the server
    /// process for REST).
    /// </summary>
    private sealed record UpsertSide(string Name, Func<string, Task> Create, Func<string, Task<LoadResult>> Load, Func<string, Task> Drop, Func<TimeSpan> Cpu);

    /// <summary>
    /// The upsert phase: each side warmed up (passes of the same upserts into fresh scratch collections, inserts as
    /// timed, never updates), then both sides' timed loads taken in turn (<see cref="TimedLoadsAsync"/>). The REST
    /// upserts go through raw keep-alive connections, one per concurrent caller, each request's bytes prepared before
    /// the clock (see <see cref="RawHttpConnection"/>): the client costs the shared cores little beyond its system calls.
    /// </summary>
    private async Task UpsertsAsync(LoadData data, EmbeddedSide embedded, ServerProcess server, HttpClient http)
    {
        int jobs = (_points + _batch - 1) / _batch;
        var db = embedded.Db;
        var batches = new Grape.Core.Points.PointStruct[jobs][];
        for (int j = 0; j < jobs; j++) batches[j] = data.EmbeddedBatch((ulong)(j * _batch), Math.Min(_batch, _points - j * _batch));
        var embeddedSide = new UpsertSide("embedded",
            target => db.CreateCollectionAsync(target, BulkLoadCollection).AsTask(),
            target => ClosedLoop.OverJobsAsync(_concurrency, jobs, j => db.UpsertAsync(target, batches[j], WriteOptions.WaitForDurable).AsTask()),
            target => db.DeleteCollectionAsync(target).AsTask(),
            OwnCpu);

        var bodies = new byte[jobs][];
        for (int j = 0; j < jobs; j++) bodies[j] = data.RestBatch((ulong)(j * _batch), Math.Min(_batch, _points - j * _batch));
        var connections = new RawHttpConnection[_concurrency];
        var heads = new Dictionary<string, byte[][]>();
        var clientSpent = TimeSpan.Zero;
        var restSide = new UpsertSide("REST",
            async target =>
            {
                await SendAsync(http, HttpMethod.Put, $"/collections/{target}", BulkLoadCollectionJson);
                var h = heads[target] = new byte[jobs][];
                for (int j = 0; j < jobs; j++) h[j] = RawHttpConnection.Head("PUT", server.HttpBase, $"/collections/{target}/points?wait=true", bodies[j].Length);
            },
            async target =>
            {
                var h = heads[target];
                var before = OwnCpu();
                var result = await ClosedLoop.OverJobsAsync(_concurrency, jobs, (worker, j) => connections[worker].SendAsync(h[j], bodies[j]));
                clientSpent += OwnCpu() - before;
                heads.Remove(target);
                return result;
            },
            target => SendAsync(http, HttpMethod.Delete, $"/collections/{target}", "{}"),
            () => server.CpuTime);
        try
        {
            for (int c = 0; c < connections.Length; c++) connections[c] = await RawHttpConnection.OpenAsync(server.HttpBase);
            foreach (var (side, pid) in new[] { (embeddedSide, Environment.ProcessId), (restSide, server.Pid) })
            {
                int pass = 0;
                await WarmUpAsync($"{side.Name} upsert", async () =>
                {
                    string scratch = $"{WarmupCollection}{pass++}";
                    await side.Create(scratch);
                    await side.Load(scratch);
                    await side.Drop(scratch);
                    return jobs;
                }, pid);
            }
            clientSpent = TimeSpan.Zero;
            var (e, r) = await TimedLoadsAsync(jobs, embeddedSide, restSide);
            Add("embedded_upsert_points_per_s", e.PointsPerSecond, "points/s", ("batch", _batch), ("wait", true), ("indexing_threshold", 0),
                ("cpu_ms_per_batch", R(e.CpuMsPerBatch)), ("loads_points_per_s", e.Rates));
            Add("rest_upsert_points_per_s", r.PointsPerSecond, "points/s", ("batch", _batch), ("wait", true), ("indexing_threshold", 0),
                ("server_cpu_ms_per_batch", R(r.CpuMsPerBatch)), ("client_cpu_ms_per_batch", R(clientSpent.TotalMilliseconds / (TimedLoads * jobs))),
                ("client", "raw keep-alive HTTP/1.1 connections, requests prepared in full"), ("loads_points_per_s", r.Rates));
        }
        finally
        {
            foreach (var c in connections) if (c is not null) await c.DisposeAsync();
        }
        long count = await CountAsync(http, Collection);
        if (count != _points) throw new InvalidOperationException($"the server holds {count} points after the REST upsert, expected {_points}");
        long embeddedCount = await db.CountAsync(Collection);
        if (embeddedCount != _points) throw new InvalidOperationException($"the embedded database holds {embeddedCount} points after the upsert, expected {_points}");
    }

    /// <summary>The embedded collection indexed and its search warmed up: the searches are timed later, in slices taken
    /// in turn with the server's (<see cref="SearchSlicesAsync"/>).</summary>
    private async Task EmbeddedSearchReadyAsync(EmbeddedSide side)
    {
        await side.Db.UpdateCollectionAsync(Collection, new UpdateCollectionRequest { OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = IndexingThresholdKb } });
        await WaitGreenAsync(async () => (await side.Db.GetCollectionInfoAsync(Collection)).Status == CollectionStatus.Green);
        await WarmUpAsync("embedded search", async () => (await ClosedLoop.ForDurationAsync(_concurrency, WarmUpSlice, side.Search)).Operations, Environment.ProcessId);
    }

    /// <summary>The embedded database, open for the whole run, and its storage folder removed with it.</summary>
    private sealed class EmbeddedSide : IAsyncDisposable
    {
        private readonly string _storage;
        private readonly SearchRequest[] _requests;

        private EmbeddedSide(GrapeDatabase db, string storage, LoadData data)
        {
            Db = db;
            _storage = storage;
            _requests = data.Queries.Select(q => new SearchRequest(q) { Limit = 10 }).ToArray();
        }

        public GrapeDatabase Db { get; }

        public static async Task<EmbeddedSide> OpenAsync(LoadData data)
        {
            string storage = Path.Combine(Path.GetTempPath(), "grape-load-embedded-" + Guid.NewGuid().ToString("N"));
            try
            {
                return new EmbeddedSide(await GrapeDatabase.OpenAsync(new GrapeOptions(storage)), storage, data);
            }
            catch
            {
                if (Directory.Exists(storage)) Directory.Delete(storage, recursive: true);
                throw;
            }
        }

        public Task Search(long i) => Db.SearchAsync(Collection, _requests[i % _requests.Length]).AsTask();

        public async ValueTask DisposeAsync()
        {
            await Db.DisposeAsync();
            if (Directory.Exists(_storage)) Directory.Delete(_storage, recursive: true);
        }
    }

    /// <summary>The server's collection indexed, then its searches: REST (timed in turn with the embedded side's), then
    /// gRPC and the streaming ingest.</summary>
    private async Task ServerSearchesAsync(LoadData data, string wrk, EmbeddedSide embedded, ServerProcess server, HttpClient http)
    {
        await SendAsync(http, HttpMethod.Patch, $"/collections/{Collection}", $"{{\"optimizers_config\":{{\"indexing_threshold\":{IndexingThresholdKb}}}}}");
        await WaitGreenAsync(async () => await StatusAsync(http, Collection) == "green");

        var searchBodies = new string[data.Queries.Length];
        for (int q = 0; q < searchBodies.Length; q++) searchBodies[q] = data.RestSearch(q);
        string searchPath = $"/collections/{Collection}/points/search";
        await WarmUpAsync("REST search", async () => (await Wrk.PostAsync(wrk, server.HttpBase, searchPath, searchBodies, _concurrency, 2, WarmUpSlice)).Requests, server.Pid);
        await SearchSlicesAsync(embedded, server, wrk, searchPath, searchBodies);

        if (_skipGrpc) return;
        using var channel = GrpcChannel.ForAddress(server.GrpcBase, new GrpcChannelOptions { MaxReceiveMessageSize = 64 << 20, MaxSendMessageSize = 64 << 20 });
        await GrpcSearchAsync(channel, server, data, http, wrk, H2Load.Find() ?? throw new InvalidOperationException("h2load is not installed (bench/rest-load.sh installs Debian's nghttp2-client)"));
        await IngestAsync(channel, http, data);
    }

    private async Task GrpcSearchAsync(GrpcChannel channel, ServerProcess server, LoadData data, HttpClient http, string wrk, string h2load)
    {
        var points = new Q.Points.PointsClient(channel);
        var requests = new Q.SearchPoints[data.Queries.Length];
        for (int q = 0; q < requests.Length; q++)
        {
            requests[q] = new Q.SearchPoints { CollectionName = Collection, Limit = 10 };
            requests[q].Vector.AddRange(data.Queries[q]);
        }
        // Points.Search is deprecated in Qdrant's protos in favour of Query; it is what REST's /points/search maps to.
#pragma warning disable CS0612
        // Same answers as REST before any timing: both protocols serve the same engine.
        for (int q = 0; q < 5; q++)
        {
            var g = await points.SearchAsync(requests[q]);
            using var r = await http.PostAsync($"/collections/{Collection}/points/search", new StringContent(data.RestSearch(q), System.Text.Encoding.UTF8, "application/json"));
            var rest = JsonNode.Parse(await r.Content.ReadAsStringAsync())!["result"]!.AsArray();
            for (int i = 0; i < g.Result.Count; i++)
            {
                if (g.Result[i].Id.Num != rest[i]!["id"]!.GetValue<ulong>())
                    throw new InvalidOperationException($"gRPC and REST disagree on query {q} rank {i}");
            }
        }
        async Task Search(long i) => await points.SearchAsync(requests[i % requests.Length]);
#pragma warning restore CS0612
        await ClosedLoop.ForDurationAsync(_concurrency, _warmUp, Search); // warm-up
        Settle();
        var cpu0 = server.CpuTime;
        var dotnet = await ClosedLoop.ForDurationAsync(_concurrency, _duration, Search);
        Add("grpc_dotnet_search_rps", dotnet.PerSecond, "req/s", ("p50_ms", R(dotnet.PercentileMs(50))), ("p99_ms", R(dotnet.PercentileMs(99))),
            ("client", "Grpc.Net.Client in the bench process, one HTTP/2 connection"), ("server_cpu_ms_per_req", R((server.CpuTime - cpu0).TotalMilliseconds / dotnet.Operations)));

        // Native clients on both protocols, the same query: h2load (gRPC, 16 streams on one connection) against wrk (REST).
        byte[] message = Google.Protobuf.MessageExtensions.ToByteArray(requests[0]);
        await H2Load.CallAsync(h2load, server.GrpcBase, "/qdrant.Points/Search", message, _concurrency, _warmUp); // warm-up
        Settle();
        cpu0 = server.CpuTime;
        var grpc = await H2Load.CallAsync(h2load, server.GrpcBase, "/qdrant.Points/Search", message, _concurrency, _duration);
        if (grpc.Failed > 0) throw new InvalidOperationException($"h2load saw {grpc.Failed} failed gRPC requests");
        Add("grpc_search_rps", grpc.PerSecond, "req/s", ("mean_ms", R(grpc.MeanMs)), ("client", "h2load, one HTTP/2 connection"), ("streams", _concurrency),
            ("server_cpu_ms_per_req", R((server.CpuTime - cpu0).TotalMilliseconds / grpc.Succeeded)));
        Settle();
        cpu0 = server.CpuTime;
        var same = await Wrk.PostAsync(wrk, server.HttpBase, $"/collections/{Collection}/points/search", [data.RestSearch(0)], _concurrency, 2, _duration);
        Add("rest_search_same_query_rps", same.PerSecond, "req/s", ("mean_ms", R(same.MeanMs)), ("p99_ms", R(same.P99Ms)), ("client", "wrk"),
            ("server_cpu_ms_per_req", R((server.CpuTime - cpu0).TotalMilliseconds / same.Requests)));
    }

    private async Task IngestAsync(GrpcChannel channel, HttpClient http, LoadData data)
    {
        // Bulk load as Qdrant advises: indexing deferred (indexing_threshold 0) while the data streams in.
        await SendAsync(http, HttpMethod.Put, $"/collections/{IngestCollection}",
            $"{{\"vectors\":{{\"size\":{_dim},\"distance\":\"Cosine\"}},\"optimizers_config\":{{\"indexing_threshold\":0}}}}");
        int batches = (_ingestPoints + _ingestBatch - 1) / _ingestBatch;
        JsonLines.Note($"preparing {batches} ingest batches of {_ingestBatch} points");
        var messages = new G.IngestBatch[batches];
        var v = new float[_dim];
        for (int b = 0; b < batches; b++)
        {
            var m = messages[b] = new G.IngestBatch { CollectionName = IngestCollection, Wait = b == batches - 1 };
            int n = Math.Min(_ingestBatch, _ingestPoints - b * _ingestBatch);
            for (int i = 0; i < n; i++)
            {
                ulong id = (ulong)(b * _ingestBatch + i);
                data.VectorOf(id, v);
                var dense = new Q.DenseVector();
                dense.Data.AddRange(v);
                var p = new Q.PointStruct { Id = new Q.PointId { Num = id }, Vectors = new Q.Vectors { Vector = new Q.Vector { Dense = dense } } };
                p.Payload.Add("i", new Q.Value { IntegerValue = (long)id });
                p.Payload.Add("group", new Q.Value { IntegerValue = (long)(id % 100) });
                p.Payload.Add("tag", new Q.Value { StringValue = "t" + (id % 7) });
                m.Points.Add(p);
            }
        }
        Settle();

        var client = new G.Ingest.IngestClient(channel);
        var sw = Stopwatch.StartNew();
        using var call = client.Upsert();
        long acked = 0, expected = 0;
        var reader = Task.Run(async () =>
        {
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                var ack = call.ResponseStream.Current;
                if (ack.Sequence != (ulong)expected) throw new InvalidOperationException($"ack {ack.Sequence} arrived where {expected} was due");
                expected++;
                acked += (long)ack.Points;
            }
        });
        foreach (var m in messages) await call.RequestStream.WriteAsync(m);
        await call.RequestStream.CompleteAsync();
        await reader;
        sw.Stop();
        if (acked != _ingestPoints || expected != batches) throw new InvalidOperationException($"{expected} acks for {acked} points; sent {batches} batches of {_ingestPoints} points");
        long count = await CountAsync(http, IngestCollection);
        if (count != _ingestPoints) throw new InvalidOperationException($"the ingest collection holds {count} points, expected {_ingestPoints}");
        Add("ingest_points_per_s", _ingestPoints / sw.Elapsed.TotalSeconds, "points/s", ("points_total", _ingestPoints), ("batch", _ingestBatch),
            ("wait", "false per batch, true on the last (its ack: all durable and visible)"), ("indexing_threshold", 0));
    }

    /// <summary>The search phase is timed in this many slices per side, taken in turn.</summary>
    private const int SearchSlices = 4;

    /// <summary>
    /// The embedded and the REST searches timed in turn, <see cref="SearchSlices"/> slices of each (a quarter of the
    /// phase's duration), so that both sides see the same stretches of a shared machine: timed one after the other,
    /// a minute apart, the ratio swung between 0.73 and 0.92 over runs of the same code. Throughput is the slices'
    /// operations over their time; the embedded percentiles come from all its calls, the REST p50 is the median of
    /// wrk's slice medians and its p99 the largest slice p99.
    /// </summary>
    private async Task SearchSlicesAsync(EmbeddedSide embedded, ServerProcess server, string wrk, string searchPath, string[] searchBodies)
    {
        var slice = _duration / SearchSlices;
        long embeddedOps = 0, restRequests = 0;
        double embeddedSeconds = 0, restSeconds = 0, restP99 = 0;
        var latencies = new List<long>();
        var restP50s = new List<double>();
        TimeSpan embeddedCpu = TimeSpan.Zero, serverCpu = TimeSpan.Zero;
        for (int i = 0; i < SearchSlices; i++)
        {
            Settle();
            var cpu0 = OwnCpu();
            var e = await ClosedLoop.ForDurationAsync(_concurrency, slice, embedded.Search);
            embeddedCpu += OwnCpu() - cpu0;
            embeddedOps += e.Operations;
            embeddedSeconds += e.Seconds;
            latencies.AddRange(e.LatencyTicks);

            Settle();
            var server0 = server.CpuTime;
            var r = await Wrk.PostAsync(wrk, server.HttpBase, searchPath, searchBodies, _concurrency, 2, slice);
            serverCpu += server.CpuTime - server0;
            if (r.Errors > 0 || r.Non2xx > 0) throw new InvalidOperationException($"wrk saw {r.Errors} socket errors and {r.Non2xx} non-2xx answers");
            restRequests += r.Requests;
            restSeconds += r.Seconds;
            restP50s.Add(r.P50Ms);
            restP99 = Math.Max(restP99, r.P99Ms);
        }
        var all = latencies.ToArray();
        Array.Sort(all);
        var embeddedResult = new LoadResult(embeddedOps, embeddedSeconds, all);
        restP50s.Sort();
        Add("embedded_search_qps", embeddedResult.PerSecond, "queries/s", ("p50_ms", R(embeddedResult.PercentileMs(50))), ("p99_ms", R(embeddedResult.PercentileMs(99))),
            ("cpu_ms_per_query", R(embeddedCpu.TotalMilliseconds / embeddedOps)), ("slices", SearchSlices));
        Add("rest_search_rps", restRequests / restSeconds, "req/s", ("p50_ms", R(restP50s[restP50s.Count / 2])), ("p99_ms", R(restP99)), ("client", "wrk"),
            ("server_cpu_ms_per_req", R(serverCpu.TotalMilliseconds / restRequests)), ("slices", SearchSlices));
        Add("rest_search_p99_ms", restP99, "ms");
    }

    private static readonly TimeSpan WarmUpSlice = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs <paramref name="pass"/> (a 2 s slice of searches, or one pass of all upserts into a fresh collection) for at
    /// least <see cref="_warmUp"/>, then until the runtime's tiered-compilation thread of the process doing the work
    /// (<paramref name="pid"/>) used at most 2 % of that process's CPU during a pass (tiers and PGO settled on the path
    /// the timed phase measures), at most 4 × <see cref="_warmUp"/>. The same rule for every side.
    /// </summary>
    private async Task WarmUpAsync(string what, Func<Task<long>> pass, int pid)
    {
        var clock = Stopwatch.StartNew();
        double perOp, jitShare;
        while (true)
        {
            var (cpu0, jit0) = ProcessCpu(pid);
            long ops = await pass();
            var (cpu1, jit1) = ProcessCpu(pid);
            perOp = (cpu1 - cpu0).TotalMilliseconds / Math.Max(1, ops);
            jitShare = Math.Max(0, (jit1 - jit0).TotalMilliseconds) / Math.Max(1, (cpu1 - cpu0).TotalMilliseconds);
            if ((clock.Elapsed >= _warmUp && jitShare <= 0.02) || clock.Elapsed >= 4 * _warmUp) break;
        }
        JsonLines.Note($"{what} warm-up: {clock.Elapsed.TotalSeconds:0} s, last pass {perOp:0.000} ms CPU per operation, {jitShare:P1} of it in the JIT thread");
    }

    /// <summary>A process's CPU time, and the part of it on the runtime's tiered-compilation thread (Linux /proc).</summary>
    private static (TimeSpan Total, TimeSpan Jit) ProcessCpu(int pid)
    {
        static TimeSpan Ticks(string stat)
        {
            // Fields after the ")" closing the thread name: state is field 3; utime and stime are fields 14 and 15.
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromSeconds((long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0);
        }
        var total = Ticks(File.ReadAllText($"/proc/{pid}/stat"));
        var jit = TimeSpan.Zero;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                    jit += Ticks(File.ReadAllText(Path.Combine(task, "stat")));
            }
            catch (IOException) { } // the thread ended meanwhile
        }
        return (total, jit);
    }

    private void Report()
    {
        double Get(string m) => _results.Find(r => r.Metric == m).Value;
        Console.Error.WriteLine();
        Console.Error.WriteLine($"{"metric",-32} {"value",14}  unit");
        foreach (var (metric, value, unit, _) in _results) Console.Error.WriteLine($"{metric,-32} {value,14:N1}  {unit}");
        double restUpsert = Get("rest_upsert_points_per_s"), embUpsert = Get("embedded_upsert_points_per_s");
        Console.Error.WriteLine($"REST/embedded upsert {restUpsert / embUpsert:P0} (aim ≥ 50 %)");
        var ratios = new List<(string, double)> { ("rest_vs_embedded_upsert", restUpsert / embUpsert) };
        if (!_upsertOnly)
        {
            double restSearch = Get("rest_search_rps"), embSearch = Get("embedded_search_qps");
            Console.Error.WriteLine($"REST/embedded search {restSearch / embSearch:P0} (aim ≥ 80 %)");
            ratios.Insert(0, ("rest_vs_embedded_search", restSearch / embSearch));
        }
        if (!_skipGrpc && !_upsertOnly)
        {
            double grpc = Get("grpc_search_rps"), restSame = Get("rest_search_same_query_rps");
            Console.Error.WriteLine($"gRPC/REST search {grpc / restSame:P0} (native clients, same query; aim ≥ 100 %); ingest {Get("ingest_points_per_s"):N0} points/s (aim ≥ 100,000)");
            ratios.Add(("grpc_vs_rest_search", grpc / restSame));
        }
        foreach (var (name, value) in ratios) _out.Emit(name, value, "ratio");
        foreach (var (metric, value, unit, extra) in _results) _out.Emit(metric, value, unit, extra);
    }

    private void Add(string metric, double value, string unit, params (string, JsonNode?)[] extra)
    {
        _results.Add((metric, value, unit, extra));
        JsonLines.Note($"{metric} = {value:N1} {unit}");
    }

    private static async Task SendAsync(HttpClient http, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        using var r = await http.SendAsync(request);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path} answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
    }

    private static async Task<long> CountAsync(HttpClient http, string collection)
    {
        using var r = await http.PostAsJsonAsync($"/collections/{collection}/points/count", new JsonObject { ["exact"] = true });
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())!["result"]!["count"]!.GetValue<long>();
    }

    private static async Task<string?> StatusAsync(HttpClient http, string collection)
    {
        using var r = await http.GetAsync($"/collections/{collection}");
        return JsonNode.Parse(await r.Content.ReadAsStringAsync())?["result"]?["status"]?.GetValue<string>();
    }

    /// <summary>Waits for the optimizer to finish (indexes built) so searches measure the steady state.</summary>
    private static async Task WaitGreenAsync(Func<Task<bool>> green)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        await Task.Delay(1500); // the optimizer looks at the collection about once a second
        while (!await green())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the collection did not turn green within 10 minutes");
            await Task.Delay(250);
        }
    }

    /// <summary>Timed loads of the whole point set per side, each into a fresh collection (the last into the one searched).</summary>
    private const int TimedLoads = 7;

    /// <summary>
    /// <see cref="TimedLoads"/> loads of all points on each side, the two sides' loads taken in turn (which side goes
    /// first alternates from round to round), each timed alone after a settle: the first ones into scratch collections
    /// made and dropped around them, the last into <see cref="Collection"/>. One load of 100,000 points takes a fraction
    /// of a second, so a single one swings with whatever else the two cores and the disk did in that moment, and loads
    /// taken side by side see the same stretches of a shared machine (timed one side after the other, the embedded
    /// rate alone swung from 610k to 800k points/s over runs of the same code). Each side's figure is its median rate;
    /// all rates go into the JSON line, and the CPU per batch counts the timed loads only.
    /// </summary>
    private async Task<(TimedResult A, TimedResult B)> TimedLoadsAsync(int jobs, UpsertSide a, UpsertSide b)
    {
        var rates = new[] { new double[TimedLoads], new double[TimedLoads] };
        var spent = new TimeSpan[2];
        var sides = new[] { a, b };
        for (int t = 0; t < TimedLoads; t++)
        {
            string target = t == TimedLoads - 1 ? Collection : $"{WarmupCollection}timed{t}";
            for (int k = 0; k < 2; k++)
            {
                int which = (t + k) % 2;
                var side = sides[which];
                await side.Create(target);
                Settle();
                var before = side.Cpu();
                var result = await side.Load(target);
                spent[which] += side.Cpu() - before;
                rates[which][t] = _points / result.Seconds;
                if (target != Collection) await side.Drop(target);
            }
        }
        TimedResult Summary(int which)
        {
            var passes = new JsonArray();
            foreach (double r in rates[which]) passes.Add(Math.Round(r, 1));
            var sorted = rates[which].ToArray();
            Array.Sort(sorted);
            return new TimedResult(sorted[TimedLoads / 2], spent[which].TotalMilliseconds / (TimedLoads * jobs), passes);
        }
        return (Summary(0), Summary(1));
    }

    private sealed record TimedResult(double PointsPerSecond, double CpuMsPerBatch, JsonArray Rates);

    private static void Settle()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    private static double R(double v) => Math.Round(v, 3);

    /// <summary>CPU time of this process (the embedded engine, or the REST upsert client).</summary>
    private static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
