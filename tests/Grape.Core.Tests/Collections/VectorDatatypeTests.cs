using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Collections;

/// <summary>float16 and uint8 columns through the embedded API: stored rounded, read back as floats, searched on the
/// stored type (exact scan and HNSW) with Qdrant's semantics, persisted with their own element size.</summary>
public class VectorDatatypeTests
{
    private const int Dim = 24;

    private static CreateCollectionRequest Create(Distance distance, VectorDatatype datatype, bool multi = false) => new()
    {
        Vectors = new Dictionary<string, VectorParams>
        {
            [PointStruct.DefaultVector] = new VectorParams(Dim, distance)
            {
                Datatype = datatype,
                MultivectorConfig = multi ? new MultiVectorConfig(MultiVectorComparator.MaxSim) : null,
            },
        },
        HnswConfig = new HnswConfigDiff { M = 16, EfConstruct = 100, FullScanThreshold = 10, MaxIndexingThreads = 1 },
    };

    /// <summary>Raw inputs: floats in [-1, 1) for float16, fractional values in [-20, 300) for uint8 (so truncation and
    /// saturation both happen), clustered so that the graph has structure.</summary>
    private static Dictionary<ulong, float[]> Points(VectorDatatype datatype, int count, int seed)
    {
        var rnd = new Random(seed);
        float Scale(double x) => datatype == VectorDatatype.Uint8 ? (float)(x * 160 + 140) : (float)x;
        var centres = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, Dim).Select(_ => rnd.NextDouble() * 2 - 1).ToArray()).ToArray();
        var points = new Dictionary<ulong, float[]>();
        for (int i = 0; i < count; i++)
        {
            var c = centres[rnd.Next(centres.Length)];
            points[(ulong)i] = c.Select(x => Scale(x + ((rnd.NextDouble() - 0.5) * 0.4))).ToArray();
        }
        return points;
    }

    /// <summary>What Qdrant stores (and what a query becomes): cosine normalizes float32/float16 first; then the
    /// datatype's rounding (nearest half; uint8 truncated and clamped), written here independently of the engine.</summary>
    private static float[] Stored(Distance distance, VectorDatatype datatype, float[] raw)
    {
        var v = (float[])raw.Clone();
        if (distance == Distance.Cosine && datatype != VectorDatatype.Uint8)
        {
            double norm = Math.Sqrt(v.Sum(x => (double)x * x));
            for (int i = 0; i < v.Length; i++) v[i] = (float)(v[i] / norm);
        }
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = datatype switch
            {
                VectorDatatype.Float16 => (float)(Half)v[i],
                VectorDatatype.Uint8 => float.IsNaN(v[i]) || v[i] <= 0 ? 0 : v[i] >= 255 ? 255 : MathF.Truncate(v[i]),
                _ => v[i],
            };
        }
        return v;
    }

    /// <summary>The reported score on stored values: cosine over them is a plain dot for normalized float vectors and a
    /// true cosine for uint8 ones (Naive.Score's cosine is the latter and equals the former on unit vectors up to rounding).</summary>
    private static double Score(Distance distance, VectorDatatype datatype, float[] q, float[] s)
    {
        if (distance == Distance.Cosine && datatype != VectorDatatype.Uint8)
        {
            double dot = 0;
            for (int i = 0; i < q.Length; i++) dot += (double)q[i] * s[i];
            return dot;
        }
        return Naive.Score(distance, q, s);
    }

    private static void AssertMatchesBruteForce(GrapeDatabase db, Distance distance, VectorDatatype datatype, Dictionary<ulong, float[]> stored,
        float[] rawQuery, SearchParams? p, int k = 10, bool exactRanking = true)
    {
        var q = Stored(distance, datatype, rawQuery);
        var hits = db.Search("c", new SearchRequest(rawQuery) { Limit = k, Params = p });
        var truth = stored.Select(kv => (kv.Key, Score: Score(distance, datatype, q, kv.Value))).ToList();
        truth.Sort((a, b) => Naive.HigherIsBetter(distance) ? b.Score.CompareTo(a.Score) : a.Score.CompareTo(b.Score));
        Assert.Equal(k, hits.Count);
        double tolerance(double x) => 2e-4 * Math.Max(1, Math.Abs(x));
        for (int i = 0; i < k; i++)
        {
            // Ids may swap among (near-)ties; scores may not: the i-th score is the i-th best, and each hit's own score is right.
            if (exactRanking) Assert.True(Math.Abs(hits[i].Score - truth[i].Score) <= tolerance(truth[i].Score), $"rank {i}: {hits[i].Score} vs {truth[i].Score}");
            double own = Score(distance, datatype, q, stored[hits[i].Id.Number]);
            Assert.True(Math.Abs(hits[i].Score - own) <= tolerance(own), $"id {hits[i].Id}: {hits[i].Score} vs {own}");
        }
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, Distance.Cosine)]
    [InlineData(VectorDatatype.Float16, Distance.Dot)]
    [InlineData(VectorDatatype.Float16, Distance.Euclid)]
    [InlineData(VectorDatatype.Float16, Distance.Manhattan)]
    [InlineData(VectorDatatype.Uint8, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Dot)]
    [InlineData(VectorDatatype.Uint8, Distance.Euclid)]
    [InlineData(VectorDatatype.Uint8, Distance.Manhattan)]
    public async Task Stores_rounded_values_and_exact_search_equals_brute_force_before_and_after_reopen(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDir();
        var options = new GrapeOptions(dir.Path) { EnableOptimizer = false };
        var raw = Points(datatype, 600, seed: 1);
        var stored = raw.ToDictionary(kv => kv.Key, kv => Stored(distance, datatype, kv.Value));
        var queries = Points(datatype, 12, seed: 2).Values.ToList();
        var exact = new SearchParams { Exact = true };
        await using (var db = await GrapeDatabase.OpenAsync(options))
        {
            await db.CreateCollectionAsync("c", Create(distance, datatype));
            Assert.Equal(datatype, db.GetCollectionInfo("c").Config.Vectors[PointStruct.DefaultVector].Datatype);
            await db.UpsertAsync("c", raw.Select(kv => new PointStruct(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
            foreach (var q in queries) AssertMatchesBruteForce(db, distance, datatype, stored, q, exact);
            var back = db.Get("c", [0, 7, 599], PayloadSelector.None, VectorSelector.All);
            foreach (var r in back) Assert.Equal(stored[r.Id.Number], r.Vectors![PointStruct.DefaultVector].Dense);
        }
        // Reopen: the WAL replays into the appendable segment (values rounded again, unchanged) and the config keeps the datatype.
        await using (var db = await GrapeDatabase.OpenAsync(options))
        {
            Assert.Equal(datatype, db.GetCollectionInfo("c").Config.Vectors[PointStruct.DefaultVector].Datatype);
            foreach (var q in queries) AssertMatchesBruteForce(db, distance, datatype, stored, q, exact);
            Assert.Equal(stored[42], db.Get("c", [42], PayloadSelector.None, VectorSelector.All)[0].Vectors![PointStruct.DefaultVector].Dense);
        }
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, Distance.Cosine)]
    [InlineData(VectorDatatype.Float16, Distance.Euclid)]
    [InlineData(VectorDatatype.Uint8, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Dot)]
    [InlineData(VectorDatatype.Uint8, Distance.Euclid)]
    [InlineData(VectorDatatype.Uint8, Distance.Manhattan)]
    public async Task Hnsw_over_the_stored_type_reaches_recall_and_the_files_hold_the_element_size(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDir();
        var options = new GrapeOptions(dir.Path)
        {
            DefaultOptimizersConfig = new OptimizersConfig { IndexingThreshold = 10, DefaultSegmentNumber = 2, FlushIntervalSec = 1 },
        };
        var raw = Points(datatype, 3000, seed: 3);
        var stored = raw.ToDictionary(kv => kv.Key, kv => Stored(distance, datatype, kv.Value));
        var queries = Points(datatype, 30, seed: 4).Values.ToList();
        long indexed;
        await using (var db = await GrapeDatabase.OpenAsync(options))
        {
            await db.CreateCollectionAsync("c", Create(distance, datatype));
            foreach (var chunk in raw.Chunk(500))
                await db.UpsertAsync("c", chunk.Select(kv => new PointStruct(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);
            for (int i = 0; i < 1200 && db.GetCollectionInfo("c") is not { Status: CollectionStatus.Green, IndexedVectorsCount: >= 2500 }; i++) await Task.Delay(50);
            indexed = db.GetCollectionInfo("c").IndexedVectorsCount;
            Assert.True(indexed >= 2500, $"indexed {indexed}");
            double recall = Recall(db, queries);
            Assert.True(recall >= 0.95, $"recall@10 {recall:F4}");
            // Graph answers are approximate (recall above); each score is still the stored type's exact score.
            foreach (var q in queries.Take(5)) AssertMatchesBruteForce(db, distance, datatype, stored, q, new SearchParams { HnswEf = 64 }, exactRanking: false);
        }

        // Every immutable segment's dense file is exactly slots × dim × element bytes.
        int elementBytes = datatype == VectorDatatype.Float16 ? 2 : 1;
        var manifests = Directory.GetFiles(dir.Path, "manifest.json", SearchOption.AllDirectories)
            .Where(f => !System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(f)).RootElement.GetProperty("appendable").GetBoolean()).ToList();
        Assert.NotEmpty(manifests);
        foreach (var m in manifests)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(m));
            int slots = doc.RootElement.GetProperty("slot_count").GetInt32();
            Assert.Equal(datatype == VectorDatatype.Float16 ? "float16" : "uint8", doc.RootElement.GetProperty("vectors")[0].GetProperty("datatype").GetString());
            long bytes = new FileInfo(Path.Combine(Path.GetDirectoryName(m)!, "vectors", "0.bin")).Length;
            Assert.Equal((long)slots * Dim * elementBytes, bytes);
        }

        // Reopened: graphs opened (not rebuilt) and searched through the column's type with the same answers.
        await using (var db = await GrapeDatabase.OpenAsync(options with { EnableOptimizer = false }))
        {
            Assert.Equal(indexed, db.GetCollectionInfo("c").IndexedVectorsCount);
            Assert.True(Recall(db, queries) >= 0.95);
        }
    }

    private static double Recall(GrapeDatabase db, List<float[]> queries)
    {
        long hits = 0;
        foreach (var q in queries)
        {
            var exact = db.Search("c", new SearchRequest(q) { Limit = 10, Params = new SearchParams { Exact = true } });
            var approx = db.Search("c", new SearchRequest(q) { Limit = 10, Params = new SearchParams { HnswEf = 128 } });
            // Ties make ids ambiguous: count a hit when its score reaches the exact 10th score.
            float tenth = exact[^1].Score;
            bool higher = exact[0].Score >= tenth;
            hits += approx.Count(h => higher ? h.Score >= tenth - 1e-6f : h.Score <= tenth + 1e-6f);
        }
        return hits / (10.0 * queries.Count);
    }

    [Fact]
    public void Float16_values_beyond_its_range_are_refused_and_nothing_is_written()
    {
        using var dir = new TempDir();
        using var db = GrapeDatabase.Open(new GrapeOptions(dir.Path) { EnableOptimizer = false });
        db.CreateCollection("c", Create(Distance.Dot, VectorDatatype.Float16));
        var v = new float[Dim];
        v[3] = 70000f;
        var e = Assert.ThrowsAny<Grape.Core.Errors.BadRequestException>(() => db.Upsert("c", [new PointStruct(1, v)]));
        Assert.Contains("float16", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, db.Count("c"));
        // A query beyond the range saturates instead (it is not stored).
        v[3] = 1;
        db.Upsert("c", [new PointStruct(1, v)], WriteOptions.WaitForDurable);
        var q = new float[Dim];
        q[3] = 1e6f;
        Assert.Equal(65504f, db.Search("c", new SearchRequest(q) { Limit = 1 })[0].Score);
    }

    [Theory]
    [InlineData(VectorDatatype.Float16, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Cosine)]
    [InlineData(VectorDatatype.Uint8, Distance.Euclid)]
    public void Multivectors_are_stored_in_the_type_and_scored_with_max_sim_on_the_rounded_values(VectorDatatype datatype, Distance distance)
    {
        using var dir = new TempDir();
        using var db = GrapeDatabase.Open(new GrapeOptions(dir.Path) { EnableOptimizer = false });
        db.CreateCollection("c", Create(distance, datatype, multi: true));
        var rows = Points(datatype, 300, seed: 5).Values.ToList();
        var multis = new Dictionary<ulong, float[][]>();
        for (int i = 0; i < 100; i++) multis[(ulong)i] = [rows[3 * i], rows[(3 * i) + 1], rows[(3 * i) + 2]];
        db.Upsert("c", multis.Select(kv => new PointStruct(kv.Key, new Dictionary<string, Vector> { [PointStruct.DefaultVector] = Vector.FromMulti(kv.Value) })).ToList(), WriteOptions.WaitForDurable);

        var back = db.Get("c", [5], PayloadSelector.None, VectorSelector.All)[0].Vectors![PointStruct.DefaultVector];
        Assert.True(back.IsMulti);
        Assert.Equal(multis[5].SelectMany(r => Stored(distance, datatype, r)), back.Dense);

        var query = Points(datatype, 2, seed: 6).Values.ToArray();
        var q = query.Select(r => Stored(distance, datatype, r)).ToArray();
        var hits = db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(VectorInput.FromMulti(query)), Limit = 5 });
        double MaxSim(float[][] s) => q.Sum(qr => s.Max(sr =>
        {
            double v = Score(distance, datatype, qr, sr);
            return distance == Distance.Euclid ? -v * v : v; // max_sim sums raw similarities (−squared L2)
        }));
        var truth = multis.Select(kv => (kv.Key, Sim: MaxSim(kv.Value.Select(r => Stored(distance, datatype, r)).ToArray()))).OrderByDescending(x => x.Sim).Take(5).ToList();
        for (int i = 0; i < 5; i++)
        {
            double want = distance == Distance.Euclid ? Math.Sqrt(-truth[i].Sim) : truth[i].Sim;
            Assert.True(Math.Abs(hits[i].Score - want) <= 2e-4 * Math.Max(1, Math.Abs(want)), $"rank {i}: {hits[i].Score} vs {want}");
        }
    }

    [Fact]
    public void Recommend_and_prefetch_rescoring_on_uint8_cosine_use_the_per_pair_cosine()
    {
        using var dir = new TempDir();
        using var db = GrapeDatabase.Open(new GrapeOptions(dir.Path) { EnableOptimizer = false });
        db.CreateCollection("c", Create(Distance.Cosine, VectorDatatype.Uint8));
        var raw = Points(VectorDatatype.Uint8, 400, seed: 7);
        var stored = raw.ToDictionary(kv => kv.Key, kv => Stored(Distance.Cosine, VectorDatatype.Uint8, kv.Value));
        db.Upsert("c", raw.Select(kv => new PointStruct(kv.Key, kv.Value)).ToList(), WriteOptions.WaitForDurable);

        // Prefetch (exact scan on bytes) then a re-score of its candidates (decoded floats): same scores.
        var q = raw[3];
        var viaSearch = db.Search("c", new SearchRequest(q) { Limit = 10, Params = new SearchParams { Exact = true } });
        var viaPrefetch = db.Query("c", new QueryRequest
        {
            Prefetches = [new Prefetch { Query = new ScoringQuery.Nearest(q), Limit = 50 }],
            Query = new ScoringQuery.Nearest(q),
            Limit = 10,
        });
        Assert.Equal(viaSearch.Select(h => h.Score), viaPrefetch.Select(h => h.Score), (a, b) => Math.Abs(a - b) < 1e-5f);

        // Recommend (average_vector): the average of the stored examples, converted to uint8, is the query.
        var hits = db.Query("c", new QueryRequest
        {
            Query = new ScoringQuery.Recommend { Positive = [VectorInput.FromId(1), VectorInput.FromId(2)] },
            Limit = 5,
        });
        var avg = stored[1].Zip(stored[2], (a, b) => (a + b) / 2).ToArray();
        var avgQ = Stored(Distance.Cosine, VectorDatatype.Uint8, avg);
        var want = stored.Where(kv => kv.Key is not (1 or 2)).Select(kv => Naive.Score(Distance.Cosine, avgQ, kv.Value)).OrderDescending().Take(5).ToList();
        Assert.Equal(want, hits.Select(h => (double)h.Score), (a, b) => Math.Abs(a - b) < 1e-4);
    }
}
