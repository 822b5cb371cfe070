using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Indexing.Hnsw;

/// <summary>The index through the embedded API: the optimizer builds graphs, searches use them, reopening keeps them.</summary>
public class HnswCollectionTests
{
    private const int Dim = 32;

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        for (int i = 0; i < 1200 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "timed out waiting for " + what);
    }

    private static GrapeOptions Options(string path) => new(path)
    {
        // 100 KB of 32-dim vectors is 800 points: several frozen segments, each indexed.
        DefaultOptimizersConfig = new OptimizersConfig { IndexingThreshold = 100, DefaultSegmentNumber = 3, FlushIntervalSec = 1 },
    };

    private static CreateCollectionRequest Create(Distance distance, bool onDisk) => new()
    {
        Vectors = new Dictionary<string, VectorParams> { [PointStruct.DefaultVector] = new VectorParams(Dim, distance) },
        HnswConfig = new HnswConfigDiff { M = 16, EfConstruct = 100, FullScanThreshold = 10, OnDisk = onDisk, MaxIndexingThreads = 2 },
    };

    private static Dictionary<ulong, float[]> Points(int count, int seed)
    {
        var rnd = new Random(seed);
        var centres = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, Dim).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray()).ToArray();
        var points = new Dictionary<ulong, float[]>();
        for (int i = 0; i < count; i++)
        {
            var c = centres[rnd.Next(centres.Length)];
            points[(ulong)i] = c.Select(x => x + (float)((rnd.NextDouble() - 0.5) * 0.5)).ToArray();
        }
        return points;
    }

    private static string[] GraphFiles(string storage) =>
        Directory.GetFiles(storage, "*.bin", SearchOption.AllDirectories).Where(f => f.Contains($"{Path.DirectorySeparatorChar}hnsw{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Order().ToArray();

    [Theory]
    [InlineData(Distance.Cosine, false)]
    [InlineData(Distance.Euclid, true)]
    public async Task Indexed_search_agrees_with_exact_search_and_survives_reopen(Distance distance, bool onDisk)
    {
        using var dir = new TempDir();
        var options = Options(dir.Path);
        var db = await GrapeDatabase.OpenAsync(options);
        await db.CreateCollectionAsync("c", Create(distance, onDisk));
        var points = Points(4000, seed: 1);
        foreach (var chunk in points.Chunk(500))
            await db.UpsertAsync("c", chunk.Select(kv => new PointStruct(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
        await WaitUntil(() => db.GetCollectionInfo("c") is { Status: CollectionStatus.Green, IndexedVectorsCount: >= 3000 }, "indexing");

        // Queries from the data's own clusters (the same seed draws the same centres; the 30 after the 4,000 points are
        // new). Queries from other random centres lie far from every cluster, where the neighbour order is nearly a tie:
        // recall at ef 64 over 30 of them ranged down to 0.947 across builds (two indexing threads, so no two builds
        // are the same), and this floor failed about one run in eight.
        var queries = Points(4030, seed: 1).Where(kv => kv.Key >= 4000).Select(kv => kv.Value).ToList();
        double recall = Recall(db, queries, exactScores: true);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F4}");

        // Deletes after indexing: never returned, recall holds.
        var gone = points.Keys.Where(id => id % 10 < 3).Select(id => (PointId)id).ToList();
        await db.DeleteAsync("c", PointsSelector.Ids(gone), WriteOptions.WaitForDurable);
        var goneSet = gone.Select(g => g.Number).ToHashSet();
        foreach (var q in queries)
        {
            var hits = db.Search("c", new SearchRequest(q) { Limit = 10, Params = new SearchParams { HnswEf = 64 } });
            Assert.DoesNotContain(hits, h => goneSet.Contains(h.Id.Number));
        }
        Assert.True(Recall(db, queries, exactScores: false) >= 0.95);
        long indexed = db.GetCollectionInfo("c").IndexedVectorsCount;
        var before = queries.Select(q => db.Search("c", new SearchRequest(q) { Limit = 10, Params = new SearchParams { HnswEf = 64 } })
            .Select(h => (h.Id.Number, h.Score)).ToList()).ToList();
        await db.CloseAsync();

        var files = GraphFiles(dir.Path);
        Assert.NotEmpty(files);
        var stamps = files.Select(File.GetLastWriteTimeUtc).ToArray();
        await using var again = await GrapeDatabase.OpenAsync(options with { EnableOptimizer = false });
        Assert.Equal(indexed, again.GetCollectionInfo("c").IndexedVectorsCount); // opened, not rebuilt
        var after = queries.Select(q => again.Search("c", new SearchRequest(q) { Limit = 10, Params = new SearchParams { HnswEf = 64 } })
            .Select(h => (h.Id.Number, h.Score)).ToList()).ToList();
        // Same graph, same ids; scores up to the kernel's summation order (it depends on the query array's alignment).
        Assert.Equal(before.Select(r => r.Select(h => h.Number)), after.Select(r => r.Select(h => h.Number)));
        for (int i = 0; i < before.Count; i++)
        {
            for (int j = 0; j < before[i].Count; j++) Assert.Equal(before[i][j].Score, after[i][j].Score, 1e-5f * Math.Max(1f, Math.Abs(before[i][j].Score)));
        }
        Assert.Equal(files, GraphFiles(dir.Path));
        Assert.Equal(stamps, GraphFiles(dir.Path).Select(File.GetLastWriteTimeUtc).ToArray());
    }

    [Fact]
    public async Task Indexed_only_skips_large_unindexed_segments_and_exact_sees_everything()
    {
        using var dir = new TempDir();
        var options = new GrapeOptions(dir.Path) { DefaultOptimizersConfig = new OptimizersConfig { IndexingThreshold = 0, FlushIntervalSec = 1 } };
        await using var db = await GrapeDatabase.OpenAsync(options);
        await db.CreateCollectionAsync("c", Create(Distance.Dot, onDisk: false));
        var points = Points(1000, seed: 3);
        await db.UpsertAsync("c", points.Select(kv => new PointStruct(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
        var q = points[5];
        // Indexing disabled: nothing indexed, 125 KB of vectors > full_scan_threshold 10 KB, so indexed_only finds nothing.
        Assert.Equal(0, db.GetCollectionInfo("c").IndexedVectorsCount);
        Assert.Empty(db.Search("c", new SearchRequest(q) { Limit = 5, Params = new SearchParams { IndexedOnly = true } }));
        var exact = db.Search("c", new SearchRequest(q) { Limit = 5, Params = new SearchParams { Exact = true } });
        Assert.Equal(Naive.TopK(Distance.Dot, points, q, 5).Select(x => x.Id), exact.Select(h => h.Id.Number));
    }

    [Fact]
    public async Task Changing_hnsw_config_rebuilds_the_graphs()
    {
        using var dir = new TempDir();
        await using var db = await GrapeDatabase.OpenAsync(Options(dir.Path));
        await db.CreateCollectionAsync("c", Create(Distance.Cosine, onDisk: false));
        var points = Points(2000, seed: 4);
        await db.UpsertAsync("c", points.Select(kv => new PointStruct(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
        await WaitUntil(() => db.GetCollectionInfo("c") is { Status: CollectionStatus.Green, IndexedVectorsCount: > 0 }, "indexing");
        var first = GraphFiles(dir.Path);
        await db.UpdateCollectionAsync("c", new UpdateCollectionRequest
        {
            Vectors = new Dictionary<string, VectorParamsDiff> { [PointStruct.DefaultVector] = new() { HnswConfig = new HnswConfigDiff { M = 8 } } },
        });
        await WaitUntil(() => GraphFiles(dir.Path).Intersect(first).Count() == 0 && db.GetCollectionInfo("c") is { Status: CollectionStatus.Green, IndexedVectorsCount: > 0 }, "rebuild");
        var manifests = Directory.GetFiles(dir.Path, "manifest.json", SearchOption.AllDirectories).Select(File.ReadAllText).Where(t => t.Contains("\"hnsw\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(manifests);
        Assert.All(manifests, t => Assert.Contains("\"m\": 8", t, StringComparison.Ordinal));
        Assert.True(Recall(db, Points(20, seed: 5).Values.ToList(), exactScores: false) >= 0.9);
    }

    /// <summary>recall@10 of hnsw_ef=64 searches against exact=true searches of the same collection.</summary>
    private static double Recall(GrapeDatabase db, List<float[]> queries, bool exactScores)
    {
        long hits = 0;
        foreach (var q in queries)
        {
            var exact = db.Search("c", new SearchRequest(q) { Limit = 10, Params = new SearchParams { Exact = true } });
            var approx = db.Search("c", new SearchRequest(q) { Limit = 10, Params = new SearchParams { HnswEf = 64 } });
            var byId = exact.ToDictionary(h => h.Id.Number, h => h.Score);
            foreach (var h in approx)
            {
                if (!byId.TryGetValue(h.Id.Number, out float s)) continue;
                hits++;
                // Same kernel on both paths; only the summation order (the query's alignment) may differ.
                if (exactScores) Assert.Equal(s, h.Score, 1e-5f * Math.Max(1f, Math.Abs(s)));
            }
        }
        return hits / (10.0 * queries.Count);
    }

    [Fact]
    public async Task Query_nearest_uses_the_graph_with_the_same_params_as_search()
    {
        using var dir = new TempDir();
        await using var db = await GrapeDatabase.OpenAsync(Options(dir.Path));
        await db.CreateCollectionAsync("c", Create(Distance.Euclid, onDisk: false));
        var points = Points(4000, seed: 3);
        foreach (var chunk in points.Chunk(500))
            await db.UpsertAsync("c", chunk.Select(kv => new PointStruct(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
        await WaitUntil(() => db.GetCollectionInfo("c") is { Status: CollectionStatus.Green, IndexedVectorsCount: >= 3000 }, "indexing");

        // ef = k = 10 is a poor beam: somewhere the graph answer differs from the exact one, so equal answers from the
        // Query API and Search show both walked the graph (and exact=true both scanned).
        int differs = 0;
        foreach (var q in Points(60, seed: 4).Values)
        {
            var fast = new SearchParams { HnswEf = 10 };
            var viaSearch = db.Search("c", new SearchRequest(q) { Limit = 10, Params = fast }).Select(h => h.Id).ToList();
            var viaQuery = db.Query("c", new Grape.Core.Query.QueryRequest { Query = new Grape.Core.Query.ScoringQuery.Nearest(q), Limit = 10, Params = fast }).Select(h => h.Id).ToList();
            Assert.Equal(viaSearch, viaQuery);
            var exact = new SearchParams { Exact = true };
            var exactSearch = db.Search("c", new SearchRequest(q) { Limit = 10, Params = exact }).Select(h => h.Id).ToList();
            Assert.Equal(exactSearch, db.Query("c", new Grape.Core.Query.QueryRequest { Query = new Grape.Core.Query.ScoringQuery.Nearest(q), Limit = 10, Params = exact }).Select(h => h.Id).ToList());
            if (!exactSearch.SequenceEqual(viaSearch)) differs++;
        }
        Assert.True(differs > 0, "ef 10 matched the exact answer on every query: the test cannot tell graph from scan");
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Euclid)]
    public async Task Recommend_and_discover_walk_the_graph_with_recall_against_the_exact_scan(Distance distance)
    {
        using var dir = new TempDir();
        await using var db = await GrapeDatabase.OpenAsync(Options(dir.Path));
        await db.CreateCollectionAsync("c", Create(distance, onDisk: false));
        var points = Points(4000, seed: 5);
        foreach (var chunk in points.Chunk(500))
            await db.UpsertAsync("c", chunk.Select(kv => new PointStruct(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
        await WaitUntil(() => db.GetCollectionInfo("c") is { Status: CollectionStatus.Green, IndexedVectorsCount: >= 3000 }, "indexing");

        var rnd = new Random(6);
        PointId Any() => PointId.FromNumber((ulong)rnd.Next(4000));
        var queries = new List<Grape.Core.Query.ScoringQuery>();
        for (int i = 0; i < 20; i++)
        {
            queries.Add(new Grape.Core.Query.ScoringQuery.Recommend { Positive = [Any(), Any()], Negative = [Any()], Strategy = Grape.Core.Query.RecommendStrategy.BestScore });
            queries.Add(new Grape.Core.Query.ScoringQuery.Recommend { Positive = [Any(), Any()], Negative = [Any()], Strategy = Grape.Core.Query.RecommendStrategy.SumScores });
            queries.Add(new Grape.Core.Query.ScoringQuery.Discover(Any(), [new Grape.Core.Query.ContextPair(Any(), Any())]));
        }
        int found = 0, total = 0;
        var perForm = new Dictionary<string, (int Found, int Total)>();
        foreach (var q in queries)
        {
            var explain = new Grape.Core.Query.QueryExplain();
            var graph = db.Query("c", new Grape.Core.Query.QueryRequest { Query = q, Limit = 10, Params = new SearchParams { HnswEf = 64 } }, explain);
            Assert.Equal("graph search (custom score)", explain.Stages[^1].Method);
            var exactExplain = new Grape.Core.Query.QueryExplain();
            var exact = db.Query("c", new Grape.Core.Query.QueryRequest { Query = q, Limit = 10, Params = new SearchParams { Exact = true } }, exactExplain);
            Assert.Equal("exact scan (custom score)", exactExplain.Stages[^1].Method);
            var want = exact.Select(p => p.Id).ToHashSet();
            found += graph.Count(p => want.Contains(p.Id));
            total += want.Count;
            string form = q is Grape.Core.Query.ScoringQuery.Recommend r ? r.Strategy.ToString() : "discover";
            var f = perForm.GetValueOrDefault(form);
            perForm[form] = (f.Found + graph.Count(p => want.Contains(p.Id)), f.Total + want.Count);
            // Scores of the points both found are the same custom score.
            foreach (var p in graph)
                if (exact.FirstOrDefault(e => e.Id == p.Id) is { } e) Assert.Equal(e.Score, p.Score, 1e-5f);
        }
        // best_score ranks the neighbours of every positive (a walk guided by the score alone reached ~73 % here: it
        // goes to one positive's region); sum_scores and discover walk the graph with their score, as Qdrant does.
        string figures = string.Join(", ", perForm.Select(kv => $"{kv.Key} {kv.Value.Found}/{kv.Value.Total}"));
        Assert.True(perForm["BestScore"].Found >= 0.95 * perForm["BestScore"].Total, "best_score recall: " + figures);
        Assert.True(found >= 0.85 * total, "custom-score recall: " + figures);
    }
}
