using System.Diagnostics;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;

namespace Grape.Bench.Workloads;

/// <summary>
/// <c>storage --dim D --points N [--storage DIR] [--data DIR]</c>: whole-engine figures for the storage layer, each as a
/// JSON line: durable batched upserts (1 and 4 writers), durable single-point upserts from 64 callers (group commit),
/// get by id, single-threaded exact search, close+reopen time and bytes on disk per point.
/// With <c>--data</c> it runs exact search over a TEXMEX dataset instead and reports recall@10 too.
/// </summary>
internal sealed partial class StorageWorkload
{
    private const string MainCollection = "storage";
    private const int BatchSize = 1_000;

    private readonly int _dim;
    private readonly int _points;
    private readonly int _concurrentPoints;
    private readonly int _writers;
    private readonly int _callers;
    private readonly double _singleSeconds;
    private readonly double _getSeconds;
    private readonly int _queries;
    private readonly double _searchSeconds;
    private readonly Distance _distance;
    private readonly string? _dataDir;
    private readonly string _storage;
    private readonly bool _ownStorage;
    private readonly float[] _pool;   // distinct random vectors, reused cyclically (see VectorOf)
    private readonly int _poolRows;
    private JsonLines _out;

    private StorageWorkload(BenchArgs args)
    {
        _dim = args.Int("dim", 128);
        _points = args.Int("points", 1_000_000);
        _concurrentPoints = args.Int("concurrent-points", Math.Min(_points, 250_000));
        _writers = args.Int("writers", 4);
        _callers = args.Int("callers", 64);
        _singleSeconds = args.Double("single-seconds", 10);
        _getSeconds = args.Double("get-seconds", 3);
        _queries = args.Int("queries", 1000);
        _searchSeconds = args.Double("search-seconds", 20);
        _distance = Enum.Parse<Distance>(args.String("distance") ?? "Euclid", ignoreCase: true);
        _dataDir = args.String("data");
        _noOptimizer = args.Flag("no-optimizer");
        _indexingThreshold = args.Int("indexing-threshold", 0);
        var storage = args.String("storage");
        _ownStorage = storage is null;
        _storage = storage ?? Path.Combine(Path.GetTempPath(), "grape-bench-" + Guid.NewGuid().ToString("N"));
        args.RejectUnknown();

        // ~64 MB of distinct vectors: enough that the data is not one cache-resident block, without holding N × dim.
        _poolRows = _dataDir is null ? Math.Max(1, Math.Min(_points, (64 << 20) / (4 * _dim))) : 0;
        _pool = new float[(long)_poolRows * _dim];
        var rng = new Random(42);
        for (long i = 0; i < _pool.Length; i++) _pool[i] = rng.NextSingle() * 2 - 1;
        _out = new JsonLines("storage", [new("dim", _dim), new("points", _points)]);
    }

    private readonly bool _noOptimizer;
    private readonly int _indexingThreshold;

    /// <summary>Bulk load as Qdrant advises (indexing deferred: indexing_threshold 0) unless --indexing-threshold says otherwise.</summary>
    private CreateCollectionRequest Collection(int? indexingThresholdKb) => CreateCollectionRequest.Single(_dim, _distance) with
    {
        OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = indexingThresholdKb },
    };

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var w = new StorageWorkload(args);
        try
        {
            if (w._dataDir is not null) await w.RunDatasetAsync(w._dataDir);
            else await w.RunSyntheticAsync();
            return 0;
        }
        finally
        {
            if (w._ownStorage && Directory.Exists(w._storage)) Directory.Delete(w._storage, recursive: true);
        }
    }

    private async Task RunSyntheticAsync()
    {
        JsonLines.Note($"storage folder {_storage}; dim {_dim}, {_points:N0} points, {_distance}");
        var options = new GrapeOptions(_storage) { EnableOptimizer = !_noOptimizer };
        var db = await GrapeDatabase.OpenAsync(options);
        try
        {
            await db.CreateCollectionAsync(MainCollection, Collection(_indexingThreshold));
            await UpsertBatchesAsync(db, MainCollection, 0, _points, writers: 1, ("indexing_threshold_kb", _indexingThreshold));
            await UpsertWithDefaultOptimizerAsync(db);
            await UpsertConcurrentWritersAsync(db);
            await UpsertSingleConcurrentAsync(db);
            GetById(db, withPayload: false);
            GetById(db, withPayload: true);
            ExactSearch(db, MainCollection, RandomQueries(Math.Min(_queries, 10_000), seed: 7), _dim, truth: null, truthK: 0);

            var close = Stopwatch.StartNew();
            await db.CloseAsync();
            close.Stop();
            var open = Stopwatch.StartNew();
            db = await GrapeDatabase.OpenAsync(options);
            long count = await db.CountAsync(MainCollection); // the reopened collection answers
            open.Stop();
            if (count != _points) throw new InvalidOperationException($"after reopen the collection has {count} points, expected {_points}");
            _out.Emit("reopen_s", close.Elapsed.TotalSeconds + open.Elapsed.TotalSeconds, "s",
                ("close_s", Math.Round(close.Elapsed.TotalSeconds, 3)), ("open_s", Math.Round(open.Elapsed.TotalSeconds, 3)));

            var (allocated, apparent) = DiskUsage.Of(_storage);
            _out.Emit("disk_bytes_per_point", (double)allocated / _points, "bytes",
                ("apparent_bytes_per_point", Math.Round((double)apparent / _points, 1)),
                ("raw_vector_bytes_per_point", 4 * _dim));
        }
        finally
        {
            await db.CloseAsync();
        }
    }

    /// <summary>A deterministic vector for <paramref name="id"/>: a pool row, with component 0 shifted so ids differ.</summary>
    private float[] VectorOf(ulong id)
    {
        var v = new float[_dim];
        _pool.AsSpan((int)(id % (ulong)_poolRows) * _dim, _dim).CopyTo(v);
        v[0] += (id / (ulong)_poolRows) * 1e-3f;
        return v;
    }

    private static JsonObject PayloadOf(ulong id) => new() { ["i"] = id, ["group"] = (int)(id % 100), ["tag"] = "t" + (id % 7) };

    private PointStruct[] Batch(ulong first, int count)
    {
        var batch = new PointStruct[count];
        for (int i = 0; i < count; i++)
        {
            ulong id = first + (ulong)i;
            batch[i] = new PointStruct(id, VectorOf(id), PayloadOf(id));
        }
        return batch;
    }

    /// <summary>Upserts ids [first, first+count) in batches of 1,000 with wait=true from <paramref name="writers"/> tasks.</summary>
    private async Task UpsertBatchesAsync(GrapeDatabase db, string collection, ulong first, int count, int writers, params (string, JsonNode?)[] tags)
    {
        int batches = (count + BatchSize - 1) / BatchSize;
        // The client's objects are built before the clock starts: the figure is the engine's rate, not the generator's.
        var prepared = new PointStruct[batches][];
        for (int b = 0; b < batches; b++) prepared[b] = Batch(first + (ulong)(b * BatchSize), Math.Min(BatchSize, count - b * BatchSize));
        int next = -1;
        long lastReport = 0;
        var sw = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref next)) < batches)
            {
                await db.UpsertAsync(collection, prepared[b], WriteOptions.WaitForDurable);
                prepared[b] = null!; // let the batch go once written
                if (writers == 1 && sw.ElapsedMilliseconds - lastReport > 10_000)
                {
                    lastReport = sw.ElapsedMilliseconds;
                    JsonLines.Note($"  upserted {(long)(b + 1) * BatchSize:N0} points in {sw.Elapsed.TotalSeconds:F0} s");
                }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        sw.Stop();
        (string, JsonNode?)[] extra = writers == 1
            ? [("batch", BatchSize), ("wait", true)]
            : [("batch", BatchSize), ("wait", true), ("writers", writers), ("points", count)];
        _out.Emit("upsert_batch_points_per_s", count / sw.Elapsed.TotalSeconds, "points/s", [.. extra, .. tags]);
    }

    /// <summary>The same single-writer load with Qdrant's default optimizer settings (segments frozen and merged while loading).</summary>
    private async Task UpsertWithDefaultOptimizerAsync(GrapeDatabase db)
    {
        if (_noOptimizer) return;
        const string name = MainCollection + "_default_optimizer";
        int n = Math.Min(_points, 200_000);
        await db.CreateCollectionAsync(name, Collection(null));
        await UpsertBatchesAsync(db, name, 0, n, 1, ("optimizer", "qdrant-defaults"), ("points", n));
        await db.DeleteCollectionAsync(name);
    }

    /// <summary>The same batched durable upsert from several writers at once, into a scratch collection.</summary>
    private async Task UpsertConcurrentWritersAsync(GrapeDatabase db)
    {
        if (_writers <= 1 || _concurrentPoints <= 0) return;
        const string name = MainCollection + "_writers";
        await db.CreateCollectionAsync(name, Collection(_indexingThreshold));
        await UpsertBatchesAsync(db, name, 0, _concurrentPoints, _writers, ("indexing_threshold_kb", _indexingThreshold));
        await db.DeleteCollectionAsync(name);
    }

    /// <summary>Single-point durable upserts from many callers for a fixed time: the group-commit rate.</summary>
    private async Task UpsertSingleConcurrentAsync(GrapeDatabase db)
    {
        if (_callers <= 0 || _singleSeconds <= 0) return;
        const string name = MainCollection + "_single";
        await db.CreateCollectionAsync(name, Collection(_indexingThreshold));
        long nextId = -1, done = 0;
        var deadline = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(_singleSeconds);
        var callers = Enumerable.Range(0, _callers).Select(_ => Task.Run(async () =>
        {
            while (deadline.Elapsed < limit)
            {
                ulong id = (ulong)Interlocked.Increment(ref nextId);
                await db.UpsertAsync(name, [new PointStruct(id, VectorOf(id), PayloadOf(id))], WriteOptions.WaitForDurable);
                Interlocked.Increment(ref done);
            }
        })).ToArray();
        await Task.WhenAll(callers);
        var elapsed = deadline.Elapsed.TotalSeconds;
        _out.Emit("upsert_single_concurrent_per_s", done / elapsed, "points/s", ("callers", _callers), ("wait", true), ("seconds", Math.Round(elapsed, 2)));
        await db.DeleteCollectionAsync(name);
    }

    /// <summary>Random single-id lookups on one thread for a fixed time.</summary>
    private void GetById(GrapeDatabase db, bool withPayload)
    {
        var rng = new Random(11);
        var payload = withPayload ? PayloadSelector.All : PayloadSelector.None;
        var ids = new PointId[1];
        // Warm-up, untimed: JIT and page cache.
        for (int i = 0; i < 10_000; i++) { ids[0] = (ulong)rng.Next(_points); db.Get(MainCollection, ids, payload, VectorSelector.None); }
        long n = 0, found = 0;
        var sw = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(_getSeconds);
        while (sw.Elapsed < limit)
        {
            for (int i = 0; i < 1024; i++)
            {
                ids[0] = (ulong)rng.Next(_points);
                found += db.Get(MainCollection, ids, payload, VectorSelector.None).Count;
            }
            n += 1024;
        }
        sw.Stop();
        if (found != n) throw new InvalidOperationException($"get by id found {found} of {n} existing points");
        _out.Emit("get_by_id_per_s", n / sw.Elapsed.TotalSeconds, "gets/s", ("with_payload", withPayload), ("ids_per_call", 1), ("threads", 1));
    }

    private float[][] RandomQueries(int count, int seed)
    {
        var rng = new Random(seed);
        var queries = new float[count][];
        for (int q = 0; q < count; q++)
        {
            queries[q] = new float[_dim];
            for (int j = 0; j < _dim; j++) queries[q][j] = rng.NextSingle() * 2 - 1;
        }
        return queries;
    }

    /// <summary>
    /// Single-threaded exact search, limit 10, one query per call, up to <see cref="_searchSeconds"/>. With
    /// <paramref name="truth"/> (row-major, <paramref name="truthK"/> ids per query) it also reports recall@10.
    /// </summary>
    private void ExactSearch(GrapeDatabase db, string collection, float[][] queries, int dim, int[]? truth, int truthK, params (string, JsonNode?)[] extra)
    {
        var exact = new SearchParams { Exact = true };
        for (int i = 0; i < Math.Min(5, queries.Length); i++) db.Search(collection, new SearchRequest(queries[i]) { Limit = 10, Params = exact }); // warm-up
        int done = 0;
        long hits = 0;
        var limit = TimeSpan.FromSeconds(_searchSeconds);
        var sw = Stopwatch.StartNew();
        for (; done < queries.Length && sw.Elapsed < limit; done++)
        {
            var result = db.Search(collection, new SearchRequest(queries[done]) { Limit = 10, Params = exact });
            if (truth is null) continue;
            var want = truth.AsSpan(done * truthK, 10);
            foreach (var p in result) if (want.Contains((int)p.Id.Number)) hits++;
        }
        sw.Stop();
        var fields = new List<(string, JsonNode?)>(extra) { ("limit", 10), ("threads", 1), ("queries", done), ("dim", dim) };
        _out.Emit("exact_search_qps", done / sw.Elapsed.TotalSeconds, "queries/s", [.. fields]);
        if (truth is not null) _out.Emit("exact_recall_at_10", (double)hits / (10.0 * done), "ratio", [.. fields]);
    }
}
