using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Collections.Shards;

/// <summary>
/// Filtered search on indexed segments as Qdrant plans it (exact scoring below full_scan_threshold, filtered graph walk
/// above it, a sample in between) against brute-force filtered search; payload_m links, m: 0 tenants, persistence.
/// </summary>
public class FilteredSearchTests
{
    private const int Dim = 32;          // 128 bytes per vector: full_scan_threshold 10 KB = 80 points
    private const int Count = 6000;

    private static readonly (string Tag, double P)[] Tags = [("p50", 0.5), ("p10", 0.1), ("p2", 0.02)];

    private sealed record Data(Dictionary<ulong, float[]> Vectors, Dictionary<ulong, JsonObject> Payloads, List<float[]> Queries);

    private static Data MakeData(int count, int seed, int tenants = 0)
    {
        var rnd = new Random(seed);
        var centres = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, Dim).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray()).ToArray();
        float[] Near() { var c = centres[rnd.Next(centres.Length)]; return c.Select(x => x + (float)((rnd.NextDouble() - 0.5) * 0.6)).ToArray(); }
        var vectors = new Dictionary<ulong, float[]>();
        var payloads = new Dictionary<ulong, JsonObject>();
        for (int i = 0; i < count; i++)
        {
            var tags = new JsonArray();
            foreach (var (tag, p) in Tags) if (rnd.NextDouble() < p) tags.Add(tag);
            var payload = new JsonObject { ["tag"] = tags, ["n"] = rnd.Next(1000), ["u"] = rnd.NextDouble() < 0.3 };
            if (tenants > 0) payload["t"] = "tenant" + (i % tenants);
            vectors[(ulong)i] = Near();
            payloads[(ulong)i] = payload;
        }
        return new Data(vectors, payloads, Enumerable.Range(0, 25).Select(_ => Near()).ToList());
    }

    private static async Task<GrapeDatabase> OpenIndexed(string path, Data data, HnswConfigDiff hnsw, params (string Key, PayloadSchemaType Type)[] indexes)
    {
        var db = await GrapeDatabase.OpenAsync(new GrapeOptions(path)
        {
            DefaultOptimizersConfig = new OptimizersConfig { IndexingThreshold = 0, DefaultSegmentNumber = 1, FlushIntervalSec = 1 },
        });
        await db.CreateCollectionAsync("c", new CreateCollectionRequest
        {
            Vectors = new Dictionary<string, VectorParams> { [PointStruct.DefaultVector] = new VectorParams(Dim, Distance.Cosine) },
            HnswConfig = hnsw with { EfConstruct = 64, MaxIndexingThreads = 2 },
        });
        foreach (var (key, type) in indexes) await db.CreateFieldIndexAsync("c", key, type, WriteOptions.WaitForDurable);
        foreach (var chunk in data.Vectors.Chunk(1000))
            await db.UpsertAsync("c", chunk.Select(kv => new PointStruct(kv.Key, kv.Value, data.Payloads[kv.Key].DeepClone().AsObject())).ToList(), WriteOptions.WaitForDurable);
        await db.UpdateCollectionAsync("c", new UpdateCollectionRequest { OptimizersConfig = new OptimizersConfigDiff { IndexingThreshold = 1 } });
        await WaitIndexed(db, data.Vectors.Count);
        return db;
    }

    private static async Task WaitIndexed(GrapeDatabase db, int points)
    {
        for (int i = 0; i < 2400; i++)
        {
            if (db.GetCollectionInfo("c") is { Status: CollectionStatus.Green, SegmentsCount: 2 } info && info.PointsCount == points && IndexedSegment(db) is not null) return;
            await Task.Delay(50);
        }
        Assert.Fail("timed out waiting for the index");
    }

    private static Segment? IndexedSegment(GrapeDatabase db)
    {
        var shard = db.CollectionForTests("c").Shard;
        var set = shard.AcquireSegments();
        try
        {
            return set.Segments.FirstOrDefault(s => s.GetHnsw(0) is not null);
        }
        finally
        {
            set.Release();
        }
    }

    private static async Task SetFullScanThreshold(GrapeDatabase db, int kb) => await
        db.UpdateCollectionAsync("c", new UpdateCollectionRequest { HnswConfig = new HnswConfigDiff { FullScanThreshold = kb } });

    private static Filter Tag(string tag) => Filter.MustAll(new FieldCondition("tag") { Match = new MatchValue(tag) });

    /// <summary>Recall@10 of the default (graph-capable) search against brute force over the points the predicate keeps; every hit must match.</summary>
    private static double Recall(GrapeDatabase db, Data data, Filter filter, Func<JsonObject, bool> matches, int? ef = null)
    {
        double sum = 0;
        foreach (var q in data.Queries)
        {
            var allowed = data.Vectors.Where(kv => matches(data.Payloads[kv.Key])).ToDictionary(kv => kv.Key, kv => kv.Value);
            var truth = Naive.TopK(Distance.Cosine, allowed, q, 10).Select(x => x.Id).ToHashSet();
            var hits = db.Search("c", new SearchRequest(q) { Filter = filter, Limit = 10, Params = ef is { } e ? new SearchParams { HnswEf = e } : null });
            Assert.All(hits, h => Assert.True(matches(data.Payloads[h.Id.Number]), $"hit {h.Id} does not match the filter"));
            sum += truth.Count == 0 ? 1 : (double)hits.Count(h => truth.Contains(h.Id.Number)) / truth.Count;
        }
        return sum / data.Queries.Count;
    }

    private static bool HasTag(JsonObject p, string tag) => p["tag"]!.AsArray().Any(t => t!.GetValue<string>() == tag);

    [Fact]
    public async Task Filtered_search_agrees_with_brute_force_on_each_planner_branch()
    {
        using var dir = new TempDir();
        var data = MakeData(Count, seed: 11);
        // Built with the smallest threshold Qdrant allows (10 KB = 80 points), so p10 and p2 get payload links.
        await using var db = await OpenIndexed(dir.Path, data, new HnswConfigDiff { M = 16, FullScanThreshold = 10 }, ("tag", PayloadSchemaType.Keyword), ("n", PayloadSchemaType.Integer));
        var shard = db.CollectionForTests("c").Shard;
        var cases = new (string Name, Filter Filter, Func<JsonObject, bool> Matches)[]
        {
            ("p50", Tag("p50"), p => HasTag(p, "p50")),
            ("p10", Tag("p10"), p => HasTag(p, "p10")),
            ("p2", Tag("p2"), p => HasTag(p, "p2")),
            ("range 25%", Filter.MustAll(new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Gte = 250, Lt = 500 } }),
                p => p["n"]!.GetValue<int>() is >= 250 and < 500),
            ("p10 and not u", new Filter { Must = [new FieldCondition("tag") { Match = new MatchValue("p10") }], MustNot = [new FieldCondition("u") { Match = new MatchValue(true) }] },
                p => HasTag(p, "p10") && !p["u"]!.GetValue<bool>()),
        };

        // Threshold above every cardinality (100,000 KB = 800,000 points): every filtered search scores the matches exactly.
        await SetFullScanThreshold(db, 100_000);
        var before = shard.FilteredSearchCounts;
        foreach (var (name, filter, matches) in cases) Assert.True(Recall(db, data, filter, matches) == 1.0, $"{name}: exact branch must be exact");
        Assert.Equal(before.Graph, shard.FilteredSearchCounts.Graph);
        Assert.True(shard.FilteredSearchCounts.Plain - before.Plain >= cases.Length * data.Queries.Count);

        // Threshold of 80 points (the least Qdrant allows, 10 KB): every filter goes through the graph (the last one through the bitset + payload check).
        await SetFullScanThreshold(db, 10);
        before = shard.FilteredSearchCounts;
        foreach (var (name, filter, matches) in cases)
        {
            double recall = Recall(db, data, filter, matches, ef: 64);
            Assert.True(recall >= 0.9, $"{name}: graph recall@10 {recall:F3}");
        }
        Assert.Equal(before.Plain, shard.FilteredSearchCounts.Plain);
        Assert.True(shard.FilteredSearchCounts.Graph - before.Graph >= cases.Length * data.Queries.Count);

        // An unindexed condition (u: ~30 % = 1,800 points) is estimated 0..all: the sample decides, both ways.
        var unindexed = Filter.MustAll(new FieldCondition("u") { Match = new MatchValue(true) });
        await SetFullScanThreshold(db, 125); // 1,000 points: fewer than the matches, so the graph
        before = shard.FilteredSearchCounts;
        Assert.True(Recall(db, data, unindexed, p => p["u"]!.GetValue<bool>(), ef: 64) >= 0.9);
        Assert.Equal(before.Plain, shard.FilteredSearchCounts.Plain);
        await SetFullScanThreshold(db, 500); // 4,000 points: more than the matches, so exact
        before = shard.FilteredSearchCounts;
        Assert.True(Recall(db, data, unindexed, p => p["u"]!.GetValue<bool>()) == 1.0);
        Assert.Equal(before.Graph, shard.FilteredSearchCounts.Graph);
    }

    [Fact]
    public async Task Payload_links_keep_low_selectivity_recall_and_survive_reopen()
    {
        var data = MakeData(Count, seed: 12);
        var filter = Tag("p2"); // ~120 points, 2 %: the main graph restricted to them falls apart
        double withLinks, withoutLinks;
        List<List<(ulong, float)>> results;
        using var dir = new TempDir();
        var db = await OpenIndexed(dir.Path, data, new HnswConfigDiff { M = 16, FullScanThreshold = 10 }, ("tag", PayloadSchemaType.Keyword));
        var spec = IndexedSegment(db)!.GetIndexSpec(0)!;
        Assert.Equal(16, spec.PayloadM);
        Assert.Equal(["tag"], spec.PayloadFields);
        Assert.NotNull(IndexedSegment(db)!.GetHnsw(0)!.PayloadLinks);
        withLinks = Recall(db, data, filter, p => HasTag(p, "p2"), ef: 32);
        results = data.Queries.Select(q => db.Search("c", new SearchRequest(q) { Filter = filter, Limit = 10, Params = new SearchParams { HnswEf = 32 } })
            .Select(h => (h.Id.Number, h.Score)).ToList()).ToList();
        long indexed = db.GetCollectionInfo("c").IndexedVectorsCount;
        await db.CloseAsync();

        // Reopened: the links are read back (not rebuilt), and searches give the same answers.
        await using (var again = await GrapeDatabase.OpenAsync(new GrapeOptions(dir.Path) { EnableOptimizer = false }))
        {
            Assert.Equal(indexed, again.GetCollectionInfo("c").IndexedVectorsCount);
            Assert.NotNull(IndexedSegment(again)!.GetHnsw(0)!.PayloadLinks);
            var after = data.Queries.Select(q => again.Search("c", new SearchRequest(q) { Filter = filter, Limit = 10, Params = new SearchParams { HnswEf = 32 } })
                .Select(h => (h.Id.Number, h.Score)).ToList()).ToList();
            Assert.Equal(results.Select(r => r.Select(h => h.Item1)), after.Select(r => r.Select(h => h.Item1)));
        }

        using var dir2 = new TempDir();
        await using (var plain = await OpenIndexed(dir2.Path, data, new HnswConfigDiff { M = 16, PayloadM = 0, FullScanThreshold = 10 }, ("tag", PayloadSchemaType.Keyword)))
        {
            Assert.Null(IndexedSegment(plain)!.GetHnsw(0)!.PayloadLinks);
            withoutLinks = Recall(plain, data, filter, p => HasTag(p, "p2"), ef: 32);
        }
        // Without links the two-hop expansion recovers most of it (0.92 seen), the links the rest (1.0 seen).
        Assert.True(withLinks >= 0.95, $"recall@10 with payload links {withLinks:F3}");
        Assert.True(withLinks > withoutLinks, $"payload links should matter: {withLinks:F3} with, {withoutLinks:F3} without");
    }

    [Fact]
    public async Task Tenants_with_m_zero_are_searched_through_their_own_graphs()
    {
        using var dir = new TempDir();
        var data = MakeData(Count, seed: 13, tenants: 4); // 1,500 points per tenant
        await using var db = await OpenIndexed(dir.Path, data, new HnswConfigDiff { M = 0, PayloadM = 16, FullScanThreshold = 10 }, ("t", PayloadSchemaType.Keyword));
        var graph = IndexedSegment(db)!.GetHnsw(0)!;
        Assert.Equal(0, graph.M);
        Assert.Equal(4, graph.PayloadLinks!.EntryPoints.Length);
        Assert.Equal(Count, db.GetCollectionInfo("c").IndexedVectorsCount);
        var shard = db.CollectionForTests("c").Shard;
        var before = shard.FilteredSearchCounts;
        for (int t = 0; t < 4; t++)
        {
            string tenant = "tenant" + t;
            var filter = Filter.MustAll(new FieldCondition("t") { Match = new MatchValue(tenant) });
            double recall = Recall(db, data, filter, p => p["t"]!.GetValue<string>() == tenant, ef: 64);
            Assert.True(recall >= 0.9, $"{tenant}: recall@10 {recall:F3}");
        }
        Assert.Equal(before.Plain, shard.FilteredSearchCounts.Plain);
        // Several tenants (disconnected block graphs), or a filter the blocks do not cover (unindexed, across
        // tenants): no single walk reaches every match, so those are exact.
        var others = new Filter { MustNot = [new FieldCondition("t") { Match = new MatchValue("tenant0") }] };
        Assert.Equal(1.0, Recall(db, data, others, p => p["t"]!.GetValue<string>() != "tenant0"));
        Assert.Equal(1.0, Recall(db, data, Filter.MustAll(new FieldCondition("u") { Match = new MatchValue(true) }), p => p["u"]!.GetValue<bool>()));
        Assert.True(shard.FilteredSearchCounts.Plain - before.Plain >= 2 * data.Queries.Count);
        // No main links: an unfiltered search is exact.
        var q = data.Queries[0];
        var exact = Naive.TopK(Distance.Cosine, data.Vectors, q, 10).Select(x => x.Id);
        Assert.Equal(exact, db.Search("c", new SearchRequest(q) { Limit = 10 }).Select(h => h.Id.Number));
    }

    [Fact]
    public async Task A_new_keyword_index_rebuilds_the_graph_with_its_links()
    {
        using var dir = new TempDir();
        var data = MakeData(3000, seed: 14);
        await using var db = await OpenIndexed(dir.Path, data, new HnswConfigDiff { M = 16, FullScanThreshold = 10 }, ("n", PayloadSchemaType.Float));
        Assert.Equal(0, IndexedSegment(db)!.GetIndexSpec(0)!.PayloadM); // no keyword/integer index: no links
        await db.CreateFieldIndexAsync("c", "tag", PayloadSchemaType.Keyword, WriteOptions.WaitForDurable);
        for (int i = 0; i < 2400 && IndexedSegment(db)?.GetIndexSpec(0) is not { PayloadM: 16 }; i++) await Task.Delay(50);
        var spec = IndexedSegment(db)!.GetIndexSpec(0)!;
        Assert.Equal(["tag"], spec.PayloadFields);
        Assert.NotNull(IndexedSegment(db)!.GetHnsw(0)!.PayloadLinks);
        Assert.True(Recall(db, data, Tag("p10"), p => HasTag(p, "p10"), ef: 32) >= 0.9);
    }
}
