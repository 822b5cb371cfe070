using System.Diagnostics;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Core.Points;

namespace Grape.Bench.Workloads;

/// <summary>
/// Filtered vector search through the HNSW index (Qdrant's planner: exact scoring of the index candidates below
/// <c>full_scan_threshold</c>, filtered graph walk with payload links above it) against exact filtered search:
/// <list type="bullet">
/// <item>Data: clustered vectors (Gaussian blobs around random centres), cosine, one segment indexed by the optimizer
/// with Qdrant's defaults (m 16, ef_construct 100, full_scan_threshold 10,000 KB, payload_m = m).</item>
/// <item>Payload: <c>tag</c>, an array of keywords drawn independently per point (<c>p50</c> with probability 0.5,
/// <c>p10</c> 0.1, <c>p1</c> 0.01, <c>p01</c> 0.001), and <c>n</c>, a uniform integer in [0, 1,000,000); both indexed
/// before the load, so the optimizer builds the payload links.</item>
/// <item>Per filter (and unfiltered): recall@10 against exact search over an ef sweep; the operating point is the smallest
/// ef reaching the target recall (0.95). The filtered p50 at its operating point is timed in alternating rounds with the
/// unfiltered p50 at the unfiltered operating point (the same recall), and both again at the default ef (100).</item>
/// <item>A count with a 10-level nested filter over a second collection of 100,000 indexed points.</item>
/// </list>
/// </summary>
internal static class FilteredWorkload
{
    private const string Collection = "filtered";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        int n = args.Int("points", 200_000), dim = args.Int("dim", 256), queries = args.Int("queries", 200), repeats = args.Int("repeats", 3);
        double target = args.Double("target-recall", 0.95);
        int[] efs = (args.String("efs") ?? "10,16,24,32,48,64,96,128,192,256").Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        int threads = args.Int("build-threads", 0), clusters = args.Int("clusters", 1000), nestedPoints = args.Int("nested-points", 100_000);
        args.RejectUnknown();
        string dir = Path.Combine(Path.GetTempPath(), "grape-bench-filtered-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var db = await GrapeDatabase.OpenAsync(new GrapeOptions(dir));
            var rnd = new Random(7);
            var centres = new float[clusters][];
            for (int c = 0; c < clusters; c++) centres[c] = SyntheticVectors.Gaussian(rnd, dim, 1f, null);
            var sw = Stopwatch.StartNew();
            await LoadAsync(db, rnd, centres, n, dim, threads);
            await WaitForIndexAsync(db, n, TimeSpan.FromMinutes(30), sw);
            JsonLines.Note($"built in {sw.Elapsed.TotalSeconds:F0} s");

            var qs = new float[queries][];
            for (int q = 0; q < queries; q++) qs[q] = SyntheticVectors.Gaussian(rnd, dim, 0.35f, centres[rnd.Next(clusters)]);
            var filters = new (string Name, double Selectivity, Filter? Filter)[]
            {
                ("none", 1.0, null),
                ("keyword", 0.5, Keyword("p50")),
                ("keyword", 0.1, Keyword("p10")),
                ("keyword", 0.01, Keyword("p1")),
                ("keyword", 0.001, Keyword("p01")),
                ("integer_range", 0.2, Filter.MustAll(new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Gte = 400_000, Lt = 600_000 } })),
                ("integer_range", 0.01, Filter.MustAll(new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Gte = 500_000, Lt = 510_000 } })),
            };
            // Per filter: exact truth, then the smallest ef of the sweep reaching the target recall (the operating point).
            var points = new List<(string Name, double Selectivity, Filter? Filter, long Matching, int Ef, double Recall, double DefaultRecall)>();
            foreach (var (name, selectivity, filter) in filters)
            {
                long matching = filter is null ? n : db.Count(Collection, new CountRequest { Filter = filter });
                var truth = qs.Select(q => db.Search(Collection, new SearchRequest(q) { Filter = filter, Limit = 10, Params = new SearchParams { Exact = true } })
                    .Select(h => h.Id).ToHashSet()).ToArray();
                int chosen = efs[^1];
                double chosenRecall = -1;
                foreach (int e in efs)
                {
                    double r = Recall(db, qs, truth, filter, e);
                    JsonLines.Note($"{name} {selectivity}: ef {e} recall {r:F4}");
                    chosen = e;
                    chosenRecall = r;
                    if (r >= target) break;
                }
                points.Add((name, selectivity, filter, matching, chosen, chosenRecall, Recall(db, qs, truth, filter, DefaultEf)));
            }
            var unfiltered = points[0];
            Console.WriteLine(new JsonObject
            {
                ["bench"] = "filtered", ["metric"] = "unfiltered_operating_point", ["ef"] = unfiltered.Ef, ["recall_at_10"] = Math.Round(unfiltered.Recall, 4),
                ["default_ef_recall_at_10"] = Math.Round(unfiltered.DefaultRecall, 4),
            }.ToJsonString());
            foreach (var op in points.Skip(1))
            {
                // Filtered and unfiltered timed in alternating rounds, so load on the machine hits both alike.
                var f = new List<double>();
                var u = new List<double>();
                var fd = new List<double>();
                var ud = new List<double>();
                for (int r = 0; r < repeats; r++)
                {
                    Time(db, qs, op.Filter, op.Ef, f);
                    Time(db, qs, null, unfiltered.Ef, u);
                    Time(db, qs, op.Filter, DefaultEf, fd);
                    Time(db, qs, null, DefaultEf, ud);
                }
                double f50 = Median(f), u50 = Median(u);
                Console.WriteLine(new JsonObject
                {
                    ["bench"] = "filtered",
                    ["filter"] = op.Name,
                    ["selectivity"] = op.Selectivity,
                    ["matching_points"] = op.Matching,
                    ["recall_at_10"] = Math.Round(op.Recall, 4),
                    ["p50_ms"] = Math.Round(f50, 4),
                    ["unfiltered_p50_ms"] = Math.Round(u50, 4),
                    ["ratio"] = Math.Round(f50 / u50, 3),
                    ["ef"] = op.Ef,
                    ["unfiltered_ef"] = unfiltered.Ef,
                    ["unfiltered_recall_at_10"] = Math.Round(unfiltered.Recall, 4),
                    ["default_ef_recall_at_10"] = Math.Round(op.DefaultRecall, 4),
                    ["default_ef_p50_ms"] = Math.Round(Median(fd), 4),
                    ["default_ef_unfiltered_p50_ms"] = Math.Round(Median(ud), 4),
                    ["points"] = n,
                    ["dim"] = dim,
                }.ToJsonString());
            }
            await NestedCountAsync(db, nestedPoints, repeats * 100);
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static Filter Keyword(string tag) => Filter.MustAll(new FieldCondition("tag") { Match = new MatchValue(tag) });

    private static async Task LoadAsync(GrapeDatabase db, Random rnd, float[][] centres, int n, int dim, int threads)
    {
        await db.CreateCollectionAsync(Collection, new CreateCollectionRequest
        {
            Vectors = new Dictionary<string, VectorParams> { [PointStruct.DefaultVector] = new(dim, Distance.Cosine) },
            HnswConfig = new HnswConfigDiff { MaxIndexingThreads = threads },
            OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 0, DefaultSegmentNumber = 1, MaxSegmentSize = 1 << 30 },
        });
        await db.CreateFieldIndexAsync(Collection, "tag", PayloadSchemaType.Keyword, WriteOptions.WaitForDurable);
        await db.CreateFieldIndexAsync(Collection, "n", PayloadSchemaType.Integer, WriteOptions.WaitForDurable);
        const int batchSize = 1000;
        for (int first = 0; first < n; first += batchSize)
        {
            int count = Math.Min(batchSize, n - first);
            var batch = new PointStruct[count];
            for (int i = 0; i < count; i++)
            {
                var tags = new JsonArray();
                if (rnd.NextDouble() < 0.5) tags.Add("p50");
                if (rnd.NextDouble() < 0.1) tags.Add("p10");
                if (rnd.NextDouble() < 0.01) tags.Add("p1");
                if (rnd.NextDouble() < 0.001) tags.Add("p01");
                var payload = new JsonObject { ["tag"] = tags, ["n"] = rnd.Next(1_000_000) };
                batch[i] = new PointStruct((ulong)(first + i), SyntheticVectors.Gaussian(rnd, dim, 0.35f, centres[rnd.Next(centres.Length)]), payload);
            }
            await db.UpsertAsync(Collection, batch, WriteOptions.WaitForDurable);
        }
        await db.UpdateCollectionAsync(Collection, new UpdateCollectionRequest { OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 1 } });
        JsonLines.Note($"{n} points loaded; waiting for the optimizer to index them");
    }

    private static async Task WaitForIndexAsync(GrapeDatabase db, int points, TimeSpan timeout, Stopwatch sw)
    {
        while (true)
        {
            var info = await db.GetCollectionInfoAsync(Collection);
            if (info.Status == CollectionStatus.Red) throw new InvalidOperationException($"the optimizer failed: {info.OptimizerStatus.Error}");
            if (info.Status == CollectionStatus.Green && info.PointsCount == points && info.IndexedVectorsCount >= points)
            {
                JsonLines.Note($"indexed: {info.IndexedVectorsCount} vectors in {info.SegmentsCount} segment(s)");
                return;
            }
            if (sw.Elapsed > timeout) throw new TimeoutException($"not indexed after {timeout.TotalSeconds:F0} s ({info.IndexedVectorsCount} of {points})");
            await Task.Delay(100);
        }
    }

    /// <summary>ef when a search names none: Qdrant's default (the column's ef_construct, 100 here).</summary>
    private const int DefaultEf = 100;

    private static double Recall(GrapeDatabase db, float[][] qs, HashSet<PointId>[] truth, Filter? filter, int ef)
    {
        double sum = 0;
        for (int i = 0; i < qs.Length; i++)
        {
            var got = db.Search(Collection, new SearchRequest(qs[i]) { Filter = filter, Limit = 10, Params = new SearchParams { HnswEf = ef } });
            sum += truth[i].Count == 0 ? 1 : (double)got.Count(g => truth[i].Contains(g.Id)) / truth[i].Count;
        }
        return sum / qs.Length;
    }

    private static void Time(GrapeDatabase db, float[][] qs, Filter? filter, int ef, List<double> into)
    {
        var p = new SearchParams { HnswEf = ef };
        foreach (var q in qs)
        {
            long t = Stopwatch.GetTimestamp();
            db.Search(Collection, new SearchRequest(q) { Filter = filter, Limit = 10, Params = p });
            into.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
    }

    /// <summary>A count with a 10-level nested filter (as the payload-index workload) over its own collection of indexed points.</summary>
    private static async Task NestedCountAsync(GrapeDatabase db, int n, int repeats)
    {
        const string name = "nested";
        await db.CreateCollectionAsync(name, CreateCollectionRequest.Single(4, Distance.Dot));
        await db.CreateFieldIndexAsync(name, "tag", PayloadSchemaType.Keyword, WriteOptions.WaitForDurable);
        await db.CreateFieldIndexAsync(name, "n", PayloadSchemaType.Integer, WriteOptions.WaitForDurable);
        var rnd = new Random(3);
        for (int first = 0; first < n; first += 5000)
        {
            var batch = new List<PointStruct>();
            for (int i = first; i < Math.Min(n, first + 5000); i++)
            {
                var tags = new JsonArray();
                if (i % 2 == 0) tags.Add("p50");
                if (i % 100 == 0) tags.Add("p1");
                batch.Add(new PointStruct((ulong)i, [(float)rnd.NextDouble(), (float)rnd.NextDouble(), (float)rnd.NextDouble(), 1f],
                    new JsonObject { ["tag"] = tags, ["n"] = i }));
            }
            await db.UpsertAsync(name, batch, WriteOptions.WaitForDurable);
        }
        var f = Filter.MustAll(new FieldCondition("tag") { Match = new MatchValue("p1") },
            new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Lt = n / 2 } });
        for (int i = 1; i < 10; i++)
            f = new Filter { Must = [new FilterCondition(f)], MustNot = [new FieldCondition("n") { Match = new MatchValue((long)i) }] };
        long expected = n / 200;
        var times = new List<double>();
        for (int r = 0; r < repeats + 10; r++)
        {
            long t = Stopwatch.GetTimestamp();
            long c = db.Count(name, new CountRequest { Filter = f });
            if (r >= 10) times.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (c != expected) throw new InvalidOperationException($"nested count {c}, expected {expected}");
        }
        Console.WriteLine(new JsonObject { ["bench"] = "filtered", ["metric"] = "nested10_count_p50_ms", ["value"] = Math.Round(Median(times), 4), ["points"] = n }.ToJsonString());
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
