using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json.Nodes;
using Grape.Bench.Workloads;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;

namespace Grape.Bench.Ann;

internal sealed partial class AnnWorkload
{
    /// <summary>Largest segment, in KB of vectors: far above any set here, so the whole set stays one segment.</summary>
    private const int MaxSegmentKb = 1 << 30;
    /// <summary>How long the optimizer must stay idle, with no index reported, before we decide there is none to wait for.</summary>
    private static readonly TimeSpan IdleGrace = TimeSpan.FromSeconds(2);

    private sealed record BuildOutcome(JsonObject Record, bool Indexed);

    private readonly record struct BuildTiming(double Seconds, double UpsertSeconds, CollectionInfo Info);

    /// <summary>One fresh collection per build thread count; the last one stays for the searches.</summary>
    private async Task<BuildOutcome> BuildAllAsync(GrapeDatabase db, AnnDataset data)
    {
        var buildSeconds = new JsonObject();
        var upsertSeconds = new JsonObject();
        double rssDelta = double.NaN;
        BuildTiming last = default;
        foreach (int threads in _buildThreads)
        {
            if (await db.CollectionExistsAsync(Collection)) await db.DeleteCollectionAsync(Collection);
            FullGc();
            double before = RssMb();
            last = await BuildOnceAsync(db, data, threads);
            if (double.IsNaN(rssDelta))
            {
                FullGc(); // what the collection holds, not the upload's short-lived batches
                rssDelta = RssMb() - before;
            }
            string key = threads.ToString(CultureInfo.InvariantCulture);
            buildSeconds[key] = Math.Round(last.Seconds, 3);
            upsertSeconds[key] = Math.Round(last.UpsertSeconds, 3);
            AnnResults.Note($"build with {threads} thread(s): {last.Seconds:F2} s (upserts {last.UpsertSeconds:F2} s), " +
                            $"indexed vectors {last.Info.IndexedVectorsCount:N0} of {last.Info.PointsCount:N0}, {last.Info.SegmentsCount} segment(s)");
        }
        bool indexed = last.Info.IndexedVectorsCount > 0;
        if (!indexed)
            AnnResults.Note("no HNSW index was built (indexed_vectors_count stayed 0 with the optimizer idle): build_s is the load " +
                            "time and every search is an exact scan");

        // The index as stored: segments flushed, the WAL cut to what is not yet in them.
        await db.FlushAsync();
        string folder = Path.Combine(_storage, "collections", Collection);
        var (allocated, apparent) = DiskUsage.Of(folder);
        var parts = new JsonObject(); // where the bytes are: segments (vectors, ids, index) vs the WAL's preallocated files
        foreach (var sub in Directory.EnumerateDirectories(Path.Combine(folder, "0")))
            parts[Path.GetFileName(sub)] = DiskUsage.Of(sub).Apparent;
        var record = new JsonObject
        {
            ["kind"] = "build",
            ["dataset"] = data.Name,
            ["engine"] = "grape",
            ["index"] = IndexName,
            ["params"] = Params(indexed),
            ["build_s"] = buildSeconds,
            ["rss_delta_mb"] = Math.Round(rssDelta, 1),
            ["index_bytes"] = apparent,
            ["disk_allocated_bytes"] = allocated,
            ["disk_bytes_by_folder"] = parts,
            ["peak_rss_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            ["data_mb"] = Math.Round(data.Base.Data.Length * 4.0 / 1048576.0, 1),
            ["upsert_s"] = upsertSeconds,
            ["indexed_vectors_count"] = last.Info.IndexedVectorsCount,
            ["segments_count"] = last.Info.SegmentsCount,
        };
        return new BuildOutcome(record, indexed);
    }

    private JsonObject Params(bool indexed, int? ef = null)
    {
        var p = new JsonObject { ["M"] = _m, ["ef_construction"] = _efConstruct };
        if (ef is { } e) p["ef"] = e;
        p["indexed"] = indexed;
        if (_onDisk) p["on_disk"] = true;
        if (_datatype is { } dt) p["datatype"] = dt.ToString().ToLowerInvariant();
        return p;
    }

    /// <summary>
    /// Creates the collection, upserts every base vector (ids = row numbers, batches with wait=true) and waits until the
    /// optimizer has turned the set into one indexed segment. Indexing is off during the load and switched on after it
    /// (Qdrant's advice for bulk loads): otherwise the appendable segment would be frozen and indexed every
    /// indexing_threshold KB and the pieces merged and re-indexed, which measures the optimizer's schedule rather than
    /// the index build. The time runs from the first upsert until the index is ready.
    /// </summary>
    private async Task<BuildTiming> BuildOnceAsync(GrapeDatabase db, AnnDataset data, int threads)
    {
        var vectors = data.Base;
        await db.CreateCollectionAsync(Collection, new CreateCollectionRequest
        {
            Vectors = new Dictionary<string, VectorParams>
            {
                [PointStruct.DefaultVector] = new(vectors.Cols, data.Distance) { OnDisk = _onDisk ? true : null, Datatype = _datatype },
            },
            HnswConfig = new HnswConfigDiff
            {
                M = _m,
                EfConstruct = _efConstruct,
                MaxIndexingThreads = threads,
                // The smallest allowed: a segment is searched through its graph whatever its size, as the peers are.
                FullScanThreshold = 10,
                OnDisk = _onDisk ? true : null,
            },
            OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 0, DefaultSegmentNumber = 1, MaxSegmentSize = MaxSegmentKb },
        });

        var sw = Stopwatch.StartNew();
        for (int first = 0; first < vectors.Rows; first += _batchSize)
        {
            int n = Math.Min(_batchSize, vectors.Rows - first);
            var batch = new PointStruct[n];
            for (int i = 0; i < n; i++) batch[i] = new PointStruct((ulong)(first + i), vectors.Row(first + i).ToArray());
            await db.UpsertAsync(Collection, batch, WriteOptions.WaitForDurable);
        }
        double upserts = sw.Elapsed.TotalSeconds;
        await db.UpdateCollectionAsync(Collection, new UpdateCollectionRequest { OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 1 } });
        var (ready, info) = await WaitForIndexAsync(db, vectors.Rows, sw);
        return new BuildTiming(ready.TotalSeconds, upserts, info);
    }

    /// <summary>
    /// Polls the collection until every point is in an indexed segment with the optimizer idle (status green). Without
    /// an HNSW index the count stays 0: once the optimizer has been idle for <see cref="IdleGrace"/> the load is done,
    /// and the time is when that idle stretch began. A failed optimizer (red) or the timeout ends the run.
    /// </summary>
    private async Task<(TimeSpan Ready, CollectionInfo Info)> WaitForIndexAsync(GrapeDatabase db, int points, Stopwatch sw)
    {
        TimeSpan? idleSince = null;
        while (true)
        {
            var info = await db.GetCollectionInfoAsync(Collection);
            var now = sw.Elapsed;
            if (info.Status == CollectionStatus.Red) throw new InvalidOperationException($"the optimizer failed: {info.OptimizerStatus.Error}");
            bool idle = info.Status == CollectionStatus.Green && info.PointsCount == points;
            if (idle && info.IndexedVectorsCount >= points) return (now, info);
            if (!idle) idleSince = null;
            else if ((idleSince ??= now) is var since && now - since >= IdleGrace) return (since, info);
            if (now > _indexTimeout)
                throw new TimeoutException($"the collection was not ready after {_indexTimeout.TotalSeconds:F0} s " +
                                           $"(status {info.Status}, {info.IndexedVectorsCount} of {points} vectors indexed)");
            await Task.Delay(10);
        }
    }

    private static void FullGc()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }
}
