using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Indexing.Hnsw;

/// <summary>
/// Multivector columns through the embedded API once the optimizer has built their max_sim graphs: graph search against
/// <c>exact: true</c> (recall, and every returned score equal to the exact one), deletes and upserts after indexing,
/// filters, <c>indexed_only</c>, and a reopen that keeps the graphs.
/// </summary>
public class MultiVectorHnswCollectionTests(ITestOutputHelper output)
{
    private const int Dim = 32;
    private const string Column = "colbert";

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        for (int i = 0; i < 2400 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "timed out waiting for " + what);
    }

    // ~10 rows × 32 dims × 4 bytes = 1.3 KB a point (float32): 400 KB is ~300 points, so several indexed segments.
    private static GrapeOptions Options(string path, int indexingThresholdKb = 400) => new(path)
    {
        DefaultOptimizersConfig = new OptimizersConfig { IndexingThreshold = indexingThresholdKb, DefaultSegmentNumber = 3, FlushIntervalSec = 1 },
    };

    private static CreateCollectionRequest Create(Distance distance, VectorDatatype datatype, bool onDisk = false) => new()
    {
        Vectors = new Dictionary<string, VectorParams>
        {
            [Column] = new(Dim, distance) { MultivectorConfig = new MultiVectorConfig(), Datatype = datatype },
        },
        HnswConfig = new HnswConfigDiff { M = 16, EfConstruct = 100, FullScanThreshold = 10, OnDisk = onDisk, MaxIndexingThreads = 2 },
    };

    /// <summary>Seeded clustered multivectors: each point draws 4–16 rows around the centres of one topic; queries (2–8
    /// rows) are drawn from the same topics.</summary>
    private static Dictionary<ulong, float[][]> Points(int count, int seed, VectorDatatype datatype) => Data(count, 0, seed, datatype).Points;

    private static (Dictionary<ulong, float[][]> Points, List<float[][]> Queries) Data(int count, int queries, int seed, VectorDatatype datatype)
    {
        var rnd = new Random(seed);
        var topics = Enumerable.Range(0, 50).Select(_ => Enumerable.Range(0, 6)
            .Select(_ => Enumerable.Range(0, Dim).Select(_ => rnd.NextDouble() * 2 - 1).ToArray()).ToArray()).ToArray();
        float Scale(double x) => datatype == VectorDatatype.Uint8 ? (float)Math.Round(x * 60 + 128) : (float)x;
        float[][] Draw(int minRows, int maxRows)
        {
            var topic = topics[rnd.Next(topics.Length)];
            var rows = new float[rnd.Next(minRows, maxRows + 1)][];
            for (int r = 0; r < rows.Length; r++)
            {
                var centre = topic[rnd.Next(topic.Length)];
                rows[r] = centre.Select(c => Scale(c + ((rnd.NextDouble() - 0.5) * 0.8))).ToArray();
            }
            return rows;
        }
        var points = new Dictionary<ulong, float[][]>();
        for (int i = 0; i < count; i++) points[(ulong)i] = Draw(4, 16);
        return (points, Enumerable.Range(0, queries).Select(_ => Draw(2, 8)).ToList());
    }

    /// <summary>Scores of one query's answers, equal up to the kernel's summation order (which follows the query array's
    /// alignment, so even two exact scans of one query can differ in the last bit).</summary>
    private static void SameHits(IEnumerable<(PointId Id, float Score)> want, IEnumerable<(PointId Id, float Score)> got)
    {
        var w = want.ToList();
        var g = got.ToList();
        Assert.Equal(w.Select(x => x.Id), g.Select(x => x.Id));
        for (int i = 0; i < w.Count; i++) Assert.Equal(w[i].Score, g[i].Score, 1e-5f * Math.Max(1f, Math.Abs(w[i].Score)));
    }

    private static PointStruct Point(ulong id, float[][] rows) =>
        new(id, new Dictionary<string, Vector> { [Column] = Vector.FromMulti(rows) }, new JsonObject { ["g"] = (long)(id % 10) });

    private static async Task<(GrapeDatabase Db, Dictionary<ulong, float[][]> Points)> Indexed(string path, Distance distance, VectorDatatype datatype,
        bool onDisk = false, int count = 3000)
    {
        var db = await GrapeDatabase.OpenAsync(Options(path));
        await db.CreateCollectionAsync("c", Create(distance, datatype, onDisk));
        var points = Data(count, 0, seed: 1, datatype).Points;
        foreach (var chunk in points.Chunk(500))
            await db.UpsertAsync("c", chunk.Select(kv => Point(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
        await WaitUntil(() => db.GetCollectionInfo("c") is { Status: CollectionStatus.Green, IndexedVectorsCount: var n } && n >= count * 8 / 10, "indexing");
        return (db, points);
    }

    private static IReadOnlyList<ScoredPoint> Query(GrapeDatabase db, float[][] q, int limit = 10, SearchParams? p = null, Filter? filter = null) =>
        db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(VectorInput.FromMulti(q)), Using = Column, Limit = limit, Params = p, Filter = filter });

    private static readonly SearchParams Exact = new() { Exact = true };

    private static SearchParams Ef(int ef) => new() { HnswEf = ef };

    /// <summary>The exact score of one point (an exact search restricted to its id).</summary>
    private static float ExactScore(GrapeDatabase db, float[][] q, PointId id) =>
        Assert.Single(Query(db, q, 1, Exact, Filter.MustAll(new HasIdCondition(new HashSet<PointId> { id })))).Score;

    private static double Recall(GrapeDatabase db, IReadOnlyList<float[][]> queries, int ef, Filter? filter = null)
    {
        long hits = 0, total = 0;
        foreach (var q in queries)
        {
            var truth = Query(db, q, 10, Exact, filter).Select(h => h.Id).ToHashSet();
            hits += Query(db, q, 10, Ef(ef), filter).Count(h => truth.Contains(h.Id));
            total += truth.Count;
        }
        return hits / (double)total;
    }

    private static string[] GraphFiles(string storage) =>
        Directory.GetFiles(storage, "*.bin", SearchOption.AllDirectories).Where(f => f.Contains($"{Path.DirectorySeparatorChar}hnsw{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).Order().ToArray();

    [Theory]
    [InlineData(Distance.Cosine, VectorDatatype.Float32, false)]
    [InlineData(Distance.Euclid, VectorDatatype.Float32, true)]
    [InlineData(Distance.Cosine, VectorDatatype.Float16, false)]
    [InlineData(Distance.Euclid, VectorDatatype.Uint8, false)]
    public async Task Graph_search_agrees_with_exact_max_sim_and_survives_reopen(Distance distance, VectorDatatype datatype, bool onDisk)
    {
        using var dir = new TempDir();
        var (db, points) = await Indexed(dir.Path, distance, datatype, onDisk);
        var queries = Data(3000, 30, seed: 1, datatype).Queries; // the same topics as the points

        foreach (int ef in new[] { 16, 32, 64 }) output.WriteLine($"{distance} {datatype} ef={ef} recall@10 {Recall(db, queries, ef):F4}");
        double recall = Recall(db, queries, 64);
        Assert.True(recall >= 0.95, $"recall@10 at ef 64: {recall:F4}");

        // Every score the graph search returns is the exact scan's score of that point (rescored with the same kernel).
        foreach (var q in queries.Take(5))
        {
            foreach (var h in Query(db, q, 10, Ef(64))) Assert.Equal(ExactScore(db, q, h.Id), h.Score, 1e-5f * Math.Max(1f, Math.Abs(h.Score)));
        }

        // Deletes after indexing: never returned, recall holds.
        var gone = points.Keys.Where(id => id % 10 < 3).Select(id => (PointId)id).ToList();
        await db.DeleteAsync("c", PointsSelector.Ids(gone), WriteOptions.WaitForDurable);
        var goneSet = gone.ToHashSet();
        foreach (var q in queries) Assert.DoesNotContain(Query(db, q, 10, Ef(64)), h => goneSet.Contains(h.Id));
        recall = Recall(db, queries, 64);
        Assert.True(recall >= 0.93, $"recall@10 at ef 64 after deletes: {recall:F4}");

        var before = queries.Select(q => Query(db, q, 10, Ef(64)).Select(h => (h.Id, h.Score)).ToList()).ToList();
        long indexed = db.GetCollectionInfo("c").IndexedVectorsCount;
        await db.CloseAsync();
        await db.DisposeAsync();

        var files = GraphFiles(dir.Path);
        Assert.NotEmpty(files);
        var stamps = files.Select(File.GetLastWriteTimeUtc).ToArray();
        await using var again = await GrapeDatabase.OpenAsync(Options(dir.Path) with { EnableOptimizer = false });
        Assert.Equal(indexed, again.GetCollectionInfo("c").IndexedVectorsCount); // opened, not rebuilt
        var after = queries.Select(q => Query(again, q, 10, Ef(64)).Select(h => (h.Id, h.Score)).ToList()).ToList();
        for (int i = 0; i < before.Count; i++) SameHits(before[i], after[i]); // same graphs: same ids, same scores
        Assert.Equal(files, GraphFiles(dir.Path));
        Assert.Equal(stamps, GraphFiles(dir.Path).Select(File.GetLastWriteTimeUtc).ToArray());
    }

    [Fact]
    public async Task Exact_search_equals_the_naive_max_sim_reference()
    {
        using var dir = new TempDir();
        var (db, points) = await Indexed(dir.Path, Distance.Dot, VectorDatatype.Float32, count: 1500);
        await using var _ = db;
        foreach (var q in Data(1500, 10, seed: 1, VectorDatatype.Float32).Queries)
        {
            var flat = q.SelectMany(r => r).ToArray();
            var want = points.Select(kv => (kv.Key, Score: Distances.MaxSimKernelTests.NaiveMaxSim(Distance.Dot, flat, kv.Value.SelectMany(r => r).ToArray(), Dim)))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Key).Take(10).ToList();
            var got = Query(db, q, 10, Exact);
            Assert.Equal(want.Select(w => w.Key), got.Select(h => h.Id.Number));
            for (int i = 0; i < want.Count; i++) Assert.Equal(want[i].Score, got[i].Score, 1e-4 * Math.Max(1, Math.Abs(want[i].Score)));
        }
    }

    [Fact]
    public async Task Upserts_after_indexing_are_seen_and_replaced_vectors_are_not_found_by_their_old_rows()
    {
        using var dir = new TempDir();
        var (db, points) = await Indexed(dir.Path, Distance.Cosine, VectorDatatype.Float32, count: 1500);
        await using var _ = db;
        var q = points[7];
        var first = Query(db, q, 5, Ef(64));
        Assert.Equal(7UL, first[0].Id.Number); // a point is its own best match

        // A new point equal to the query: found (in the appendable segment) with the same top score.
        await db.UpsertAsync("c", [Point(100_000, q)], WriteOptions.WaitForDurable);
        var withNew = Query(db, q, 5, Ef(64));
        Assert.Contains(withNew.Take(2), h => h.Id.Number == 100_000);

        // Point 7 gets rows far from its old ones: the graph's stale copy is deleted, the new copy scores as it should.
        var moved = q.Select(r => r.Select(x => -x).ToArray()).ToArray();
        await db.UpsertAsync("c", [Point(7, moved)], WriteOptions.WaitForDurable);
        var after = Query(db, q, 10, Ef(64));
        Assert.DoesNotContain(after, h => h.Id.Number == 7);
        Assert.Equal(7UL, Query(db, moved, 1, Ef(64))[0].Id.Number);
        Assert.Equal(Query(db, q, 10, Exact).Select(h => h.Id), after.Select(h => h.Id));
    }

    [Fact]
    public async Task Filtered_graph_search_returns_only_matches_and_agrees_with_the_exact_scan()
    {
        using var dir = new TempDir();
        var (db, _) = await Indexed(dir.Path, Distance.Cosine, VectorDatatype.Float32, count: 3000);
        await using var __ = db;
        var queries = Data(3000, 20, seed: 1, VectorDatatype.Float32).Queries;
        // 10 % of the points: enough for a walk (checked at acceptance) in every segment.
        var tenth = Filter.MustAll(new FieldCondition("g") { Match = new MatchValue(3) });
        foreach (var q in queries)
        {
            var hits = Query(db, q, 10, Ef(128), tenth);
            Assert.Equal(10, hits.Count);
            Assert.All(hits, h => Assert.Equal(3UL, h.Id.Number % 10));
        }
        double recall = Recall(db, queries, 128, tenth);
        output.WriteLine($"filtered recall@10 at ef 128 {recall:F4}");
        Assert.True(recall >= 0.9, $"filtered recall@10 {recall:F4}");

        // A handful of points: under full_scan_threshold, so scanned exactly: the same answer as exact.
        var few = Filter.MustAll(new HasIdCondition(Enumerable.Range(0, 3000).Where(i => i % 97 == 0).Select(i => (PointId)(ulong)i).ToHashSet()));
        foreach (var q in queries.Take(5))
            SameHits(Query(db, q, 10, Exact, few).Select(h => (h.Id, h.Score)), Query(db, q, 10, Ef(16), few).Select(h => (h.Id, h.Score)));
    }

    [Fact]
    public async Task Indexed_only_skips_large_unindexed_segments_and_m_0_builds_no_graph()
    {
        using var dir = new TempDir();
        await using var db = await GrapeDatabase.OpenAsync(Options(dir.Path, indexingThresholdKb: 0));
        await db.CreateCollectionAsync("c", Create(Distance.Dot, VectorDatatype.Float32));
        var points = Points(300, seed: 5, VectorDatatype.Float32);
        await db.UpsertAsync("c", points.Select(kv => Point(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
        var q = points[5];
        Assert.Equal(0, db.GetCollectionInfo("c").IndexedVectorsCount);
        Assert.Empty(Query(db, q, 5, new SearchParams { IndexedOnly = true }));
        Assert.Equal(5UL, Query(db, q, 1, Exact)[0].Id.Number);

        // m: 0 on the multivector (a re-rank-only column): the optimizer builds no graph for it, searches stay exact.
        using var dir2 = new TempDir();
        await using var db2 = await GrapeDatabase.OpenAsync(Options(dir2.Path, indexingThresholdKb: 100));
        var create = Create(Distance.Dot, VectorDatatype.Float32);
        create = create with { Vectors = new Dictionary<string, VectorParams> { [Column] = create.Vectors[Column] with { HnswConfig = new HnswConfigDiff { M = 0 } } } };
        await db2.CreateCollectionAsync("c", create);
        await db2.UpsertAsync("c", points.Select(kv => Point(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
        await WaitUntil(() => db2.GetCollectionInfo("c") is { Status: CollectionStatus.Green, SegmentsCount: > 1 }, "optimization");
        Assert.Equal(0, db2.GetCollectionInfo("c").IndexedVectorsCount);
        Assert.Empty(GraphFiles(dir2.Path));
        SameHits(Query(db2, q, 10, Exact).Select(h => (h.Id, h.Score)), Query(db2, q, 10, Ef(16)).Select(h => (h.Id, h.Score)));
    }
}
