using System.Diagnostics;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;

namespace Grape.Bench.Workloads;

internal sealed partial class StorageWorkload
{
    /// <summary>
    /// Exact search over a TEXMEX dataset (base.fvecs, query.fvecs, groundtruth.ivecs; Euclid): loads the base vectors with
    /// ids = 0-based row numbers, then runs the first <see cref="_queries"/> queries one at a time on one thread.
    /// </summary>
    private async Task RunDatasetAsync(string dataDir)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir)));
        var (data, rows, dim) = Texmex.ReadFvecs(Path.Combine(dataDir, "base.fvecs"));
        var (queryData, queryRows, queryDim) = Texmex.ReadFvecs(Path.Combine(dataDir, "query.fvecs"), _queries);
        var (truth, truthRows, truthK) = Texmex.ReadIvecs(Path.Combine(dataDir, "groundtruth.ivecs"), _queries);
        if (queryDim != dim || truthRows < queryRows || truthK < 10) throw new InvalidDataException($"{dataDir}: query or ground-truth files do not match the base");
        _out = new JsonLines("storage", [new("dataset", name), new("dim", dim), new("points", rows)]);
        JsonLines.Note($"dataset {name}: {rows:N0} × {dim}, {queryRows} queries; storage folder {_storage}");

        await using var db = await GrapeDatabase.OpenAsync(new GrapeOptions(_storage));
        const string collection = "ann";
        if (await db.CollectionExistsAsync(collection)) await db.DeleteCollectionAsync(collection);
        await db.CreateCollectionAsync(collection, CreateCollectionRequest.Single(dim, Distance.Euclid));

        var sw = Stopwatch.StartNew();
        for (int first = 0; first < rows; first += BatchSize)
        {
            int n = Math.Min(BatchSize, rows - first);
            var batch = new PointStruct[n];
            for (int i = 0; i < n; i++)
                batch[i] = new PointStruct((ulong)(first + i), data.AsSpan((first + i) * dim, dim).ToArray());
            await db.UpsertAsync(collection, batch, WriteOptions.WaitForDurable);
        }
        sw.Stop();
        _out.Emit("upsert_batch_points_per_s", rows / sw.Elapsed.TotalSeconds, "points/s", ("batch", BatchSize), ("wait", true));

        var queries = new float[queryRows][];
        for (int q = 0; q < queryRows; q++) queries[q] = queryData.AsSpan(q * dim, dim).ToArray();
        ExactSearch(db, collection, queries, dim, truth, truthK, ("distance", "Euclid"));
        await db.DeleteCollectionAsync(collection);
    }
}
