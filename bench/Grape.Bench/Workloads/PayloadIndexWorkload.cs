using System.Diagnostics;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Core.Points;

namespace Grape.Bench.Workloads;

/// <summary>
/// Filtered count and exact search with and without payload indexes: a keyword field at selectivities 50 %, 10 %,
/// 1 %, 0.1 %, and a 10-level nested filter (keyword at 1 % and an integer range), on one optimized segment.
/// Prints p50 latencies (single-threaded) as JSON lines.
/// </summary>
internal static class PayloadIndexWorkload
{
    private static readonly (string Tag, double Selectivity, int Every)[] Levels = [("p50", 0.5, 2), ("p10", 0.1, 10), ("p1", 0.01, 100), ("p01", 0.001, 1000)];

    public static async Task<int> RunAsync(BenchArgs args)
    {
        int n = args.Int("points", 100_000), dim = args.Int("dim", 32), repeats = args.Int("repeats", 30);
        args.RejectUnknown();
        var lines = new JsonLines("payload-index", [new("points", n), new("dim", dim)]);
        string dir = Path.Combine(Path.GetTempPath(), "grape-bench-pidx-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var db = await GrapeDatabase.OpenAsync(new GrapeOptions(dir) { EnableOptimizer = false });
            await db.CreateCollectionAsync("b", CreateCollectionRequest.Single(dim, Distance.Dot));
            var rnd = new Random(1);
            for (int start = 0; start < n; start += 5000)
            {
                var batch = new List<PointStruct>();
                for (int i = start; i < Math.Min(n, start + 5000); i++)
                {
                    var tags = new JsonArray();
                    foreach (var (tag, _, every) in Levels) if (i % every == 0) tags.Add(tag);
                    var v = new float[dim];
                    for (int d = 0; d < dim; d++) v[d] = (float)rnd.NextDouble() - 0.5f;
                    batch.Add(new PointStruct((ulong)i, v, new JsonObject { ["tag"] = tags, ["n"] = i, ["title"] = $"point {i}" }));
                }
                await db.UpsertAsync("b", batch);
            }
            var shard = db.CollectionForTests("b").Shard;
            var set = shard.AcquireSegments();
            var appendable = set.Appendable;
            set.Release();
            shard.Optimize([appendable], CancellationToken.None);
            JsonLines.Note($"{n} points loaded into one optimized segment");

            var query = new float[dim];
            for (int d = 0; d < dim; d++) query[d] = (float)rnd.NextDouble() - 0.5f;
            foreach (bool indexed in new[] { false, true })
            {
                if (indexed)
                {
                    var sw = Stopwatch.StartNew();
                    await db.CreateFieldIndexAsync("b", "tag", PayloadSchemaType.Keyword, WriteOptions.WaitForDurable);
                    await db.CreateFieldIndexAsync("b", "n", PayloadSchemaType.Integer, WriteOptions.WaitForDurable);
                    lines.Emit("create_indexes_ms", sw.Elapsed.TotalMilliseconds, "ms");
                }
                foreach (var (tag, selectivity, _) in Levels)
                {
                    var filter = Filter.MustAll(new FieldCondition("tag") { Match = new MatchValue(tag) });
                    long expected = (long)Math.Ceiling(n * selectivity);
                    double count = P50(repeats, () =>
                    {
                        long c = db.Count("b", new CountRequest { Filter = filter });
                        if (c != expected) throw new InvalidOperationException($"count {c}, expected {expected}");
                    });
                    double search = P50(repeats, () => db.Search("b", new SearchRequest(query) { Filter = filter, Limit = 10 }));
                    lines.Emit("count_p50_ms", count, "ms", ("selectivity", selectivity), ("indexed", indexed));
                    lines.Emit("exact_search_p50_ms", search, "ms", ("selectivity", selectivity), ("indexed", indexed));
                }
                var nested = Nested(10);
                double nestedCount = P50(repeats, () => db.Count("b", new CountRequest { Filter = nested }));
                lines.Emit("nested10_count_p50_ms", nestedCount, "ms", ("indexed", indexed));
            }
            return 0;
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    // Ten filters deep: the innermost needs tag p1 and n below the middle; each level adds a must_not.
    private static Filter Nested(int depth)
    {
        var f = Filter.MustAll(new FieldCondition("tag") { Match = new MatchValue("p1") },
            new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Lt = 50_000 } });
        for (int i = 1; i < depth; i++)
            f = new Filter { Must = [new FilterCondition(f)], MustNot = [new FieldCondition("n") { Match = new MatchValue((long)i) }] };
        return f;
    }

    private static double P50(int repeats, Action action)
    {
        action(); // warm up
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            long t = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
