using System.Diagnostics;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Query;

namespace Grape.Bench.Workloads;

/// <summary>
/// HNSW over a multivector column (max_sim) against the exact max_sim scan, through the embedded Query API:
/// <list type="bullet">
/// <item>Data: seeded ColBERT-like multivectors: each point draws 8–24 rows (uniform) around the centres of one topic
/// (topics of 8 Gaussian centres), cosine; queries are drawn the same way with <c>--query-rows</c> rows.</item>
/// <item>The collection is loaded unindexed into one segment, then <c>indexing_threshold</c> is set and the optimizer
/// builds the max_sim graph (m 16, ef_construct 100 unless given): the build time is from that update to green.</item>
/// <item>recall@10 of the graph search at each ef against <c>exact: true</c>, then single-threaded latency (p50/p99) of
/// each ef and of the exact scan, timed in alternating rounds so machine load hits all alike.</item>
/// </list>
/// </summary>
internal static class MultiVectorWorkload
{
    private const string Collection = "multivector";
    private const string Column = "colbert";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        int n = args.Int("points", 20_000), dim = args.Int("dim", 128), minRows = args.Int("min-rows", 8), maxRows = args.Int("max-rows", 24);
        int queries = args.Int("queries", 100), queryRows = args.Int("query-rows", 16), repeats = args.Int("repeats", 3);
        int m = args.Int("m", 16), efConstruct = args.Int("ef-construct", 100), threads = args.Int("build-threads", 0), seed = args.Int("seed", 42);
        int[] efs = (args.String("efs") ?? "16,32,64,128").Split(',').Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        args.RejectUnknown();
        var common = new List<KeyValuePair<string, JsonNode?>>
        {
            new("points", n), new("dim", dim), new("rows", $"{minRows}-{maxRows}"), new("query_rows", queryRows), new("m", m), new("ef_construct", efConstruct),
        };
        var output = new JsonLines("multivector", common);
        string dir = Path.Combine(Path.GetTempPath(), "grape-bench-multivector-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var db = await GrapeDatabase.OpenAsync(new GrapeOptions(dir));
            var rnd = new Random(seed);
            int topics = Math.Max(1, n / 100);
            var centres = new float[topics][][];
            for (int t = 0; t < topics; t++)
            {
                centres[t] = new float[8][];
                for (int c = 0; c < 8; c++) centres[t][c] = SyntheticVectors.Gaussian(rnd, dim, 1f, null);
            }
            float[][] Draw(int rows)
            {
                var topic = centres[rnd.Next(topics)];
                var result = new float[rows][];
                for (int r = 0; r < rows; r++) result[r] = SyntheticVectors.Gaussian(rnd, dim, 0.5f, topic[rnd.Next(topic.Length)]);
                return result;
            }

            await db.CreateCollectionAsync(Collection, new CreateCollectionRequest
            {
                Vectors = new Dictionary<string, VectorParams> { [Column] = new(dim, Distance.Cosine) { MultivectorConfig = new MultiVectorConfig() } },
                HnswConfig = new HnswConfigDiff { M = m, EfConstruct = efConstruct, MaxIndexingThreads = threads },
                OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 0, DefaultSegmentNumber = 1, MaxSegmentSize = 1 << 30 },
            });
            long subVectors = 0;
            for (int first = 0; first < n; first += 500)
            {
                var batch = new List<PointStruct>();
                for (int i = first; i < Math.Min(n, first + 500); i++)
                {
                    var rows = Draw(rnd.Next(minRows, maxRows + 1));
                    subVectors += rows.Length;
                    batch.Add(new PointStruct((ulong)i, new Dictionary<string, Vector> { [Column] = Vector.FromMulti(rows) }));
                }
                await db.UpsertAsync(Collection, batch, WriteOptions.WaitForDurable);
            }
            var qs = Enumerable.Range(0, queries).Select(_ => Draw(queryRows)).ToArray();
            JsonLines.Note($"{n} points ({subVectors} sub-vectors) loaded; indexing");

            var sw = Stopwatch.StartNew();
            await db.UpdateCollectionAsync(Collection, new UpdateCollectionRequest { OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 1 } });
            while (true)
            {
                var info = await db.GetCollectionInfoAsync(Collection);
                if (info.Status == CollectionStatus.Red) throw new InvalidOperationException($"the optimizer failed: {info.OptimizerStatus.Error}");
                if (info.Status == CollectionStatus.Green && info.IndexedVectorsCount >= n) break;
                if (sw.Elapsed > TimeSpan.FromHours(1)) throw new TimeoutException("not indexed after an hour");
                await Task.Delay(100);
            }
            output.Emit("build_seconds", sw.Elapsed.TotalSeconds, "s", ("sub_vectors", subVectors), ("build_threads", threads == 0 ? Environment.ProcessorCount : threads));

            var exact = new SearchParams { Exact = true };
            var truth = qs.Select(q => Search(db, q, exact).Select(h => h.Id).ToHashSet()).ToArray();
            foreach (int ef in efs)
            {
                var p = new SearchParams { HnswEf = ef };
                double hits = 0;
                for (int i = 0; i < qs.Length; i++) hits += Search(db, qs[i], p).Count(h => truth[i].Contains(h.Id)) / (double)truth[i].Count;
                output.Emit("recall_at_10", hits / qs.Length, "ratio", ("ef", ef));
            }

            // Latency: every ef and the exact scan in alternating rounds (warmed up by the recall pass).
            var times = efs.Select(_ => new List<double>()).ToArray();
            var exactTimes = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                for (int e = 0; e < efs.Length; e++) Time(db, qs, new SearchParams { HnswEf = efs[e] }, times[e]);
                Time(db, qs, exact, exactTimes);
            }
            double exactP50 = Percentile(exactTimes, 0.5);
            for (int e = 0; e < efs.Length; e++)
            {
                double p50 = Percentile(times[e], 0.5);
                output.Emit("latency_p50_ms", p50, "ms", ("ef", efs[e]), ("p99_ms", Math.Round(Percentile(times[e], 0.99), 3)),
                    ("exact_p50_ms", Math.Round(exactP50, 3)), ("speedup_vs_exact", Math.Round(exactP50 / p50, 2)));
            }
            output.Emit("exact_latency_p50_ms", exactP50, "ms", ("p99_ms", Math.Round(Percentile(exactTimes, 0.99), 3)));
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static IReadOnlyList<ScoredPoint> Search(GrapeDatabase db, float[][] q, SearchParams p) =>
        db.Query(Collection, new QueryRequest { Query = new ScoringQuery.Nearest(VectorInput.FromMulti(q)), Using = Column, Limit = 10, Params = p });

    private static void Time(GrapeDatabase db, float[][][] qs, SearchParams p, List<double> into)
    {
        foreach (var q in qs)
        {
            long t = Stopwatch.GetTimestamp();
            Search(db, q, p);
            into.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
