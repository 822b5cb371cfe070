using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Core.Tests.Distances;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Query;

/// <summary>Multivectors (<c>multivector_config</c> with max_sim) end to end through the embedded API, against references
/// computed here from the definitions.</summary>
public sealed class MultiVectorTests : IDisposable
{
    private const int Dim = 4;
    private readonly TempDir _dir = new();
    private readonly Dictionary<ulong, float[][]> _multi = [];
    private readonly Dictionary<ulong, float[]> _dense = [];

    public void Dispose() => _dir.Dispose();

    private GrapeDatabase Open(string? path = null, OptimizersConfig? optimizers = null) =>
        GrapeDatabase.Open(new GrapeOptions(path ?? _dir.Path) { EnableOptimizer = optimizers is not null, DefaultOptimizersConfig = optimizers ?? new OptimizersConfig() });

    private static CreateCollectionRequest Collection(Distance distance) => new()
    {
        Vectors = new Dictionary<string, VectorParams>
        {
            ["dense"] = new(8, Distance.Cosine),
            ["colbert"] = new(Dim, distance) { MultivectorConfig = new MultiVectorConfig(), HnswConfig = new HnswConfigDiff { M = 0 } },
        },
    };

    private List<PointStruct> Points(int from, int to, int seed)
    {
        var r = new Random(seed);
        var points = new List<PointStruct>();
        for (int i = from; i < to; i++)
        {
            var rows = new float[1 + r.Next(5)][];
            for (int j = 0; j < rows.Length; j++) rows[j] = MaxSimKernelTests.Rows(r, 1, Dim);
            var dense = MaxSimKernelTests.Rows(r, 1, 8);
            _multi[(ulong)i] = rows;
            _dense[(ulong)i] = dense;
            points.Add(new PointStruct((ulong)i, new Dictionary<string, Vector> { ["colbert"] = Vector.FromMulti(rows), ["dense"] = dense },
                new JsonObject { ["i"] = i }));
        }
        return points;
    }

    private static float[] Flat(float[][] rows, Distance d)
    {
        var flat = rows.SelectMany(x => x).ToArray();
        if (d == Distance.Cosine) Grape.Core.Distances.MaxSimKernel.Preprocess(d, flat, Dim);
        return flat;
    }

    private static double Score(Distance d, double sim) => d switch { Distance.Euclid => Math.Sqrt(-sim), Distance.Manhattan => -sim, _ => sim };

    private List<(ulong Id, double Score)> NaiveNearest(Distance d, float[][] query, IEnumerable<ulong> ids, int k)
    {
        var q = Flat(query, d);
        return QueryFixture.Rank(ids, id => MaxSimKernelTests.NaiveMaxSim(d, q, Flat(_multi[id], d), Dim),
            id => Score(d, MaxSimKernelTests.NaiveMaxSim(d, q, Flat(_multi[id], d), Dim)), k);
    }

    private static float[][] Query(int seed, int rows)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => MaxSimKernelTests.Rows(r, 1, Dim)).ToArray();
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void Nearest_multivector_query_scores_by_max_sim(Distance distance)
    {
        using var db = Open();
        db.CreateCollection("c", Collection(distance));
        db.Upsert("c", Points(0, 120, 1));
        var q = Query(9, 3);
        var got = db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(VectorInput.FromMulti(q)), Using = "colbert", Limit = 10 });
        QueryFixture.Same(NaiveNearest(distance, q, _multi.Keys, 10), got);

        // The legacy search takes a plain vector: a multivector of one sub-vector, as in Qdrant.
        var plain = db.Search("c", new SearchRequest(q[0]) { Using = "colbert", Limit = 5 });
        QueryFixture.Same(NaiveNearest(distance, [q[0]], _multi.Keys, 5), plain);
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Euclid)]
    public void Dense_prefetch_then_multivector_rerank(Distance distance)
    {
        using var db = Open();
        db.CreateCollection("c", Collection(distance));
        db.Upsert("c", Points(0, 200, 2));
        var dq = MaxSimKernelTests.Rows(new Random(5), 1, 8);
        var q = Query(11, 4);
        var got = db.Query("c", new QueryRequest
        {
            Prefetches = [new Prefetch { Query = new ScoringQuery.Nearest(dq), Using = "dense", Limit = 30 }],
            Query = new ScoringQuery.Nearest(VectorInput.FromMulti(q)),
            Using = "colbert",
            Limit = 7,
            WithVectors = VectorSelector.Only(["colbert"]),
        });
        var fixture = new Func<float[], float[], double>((a, b) =>
        {
            double s = 0, na = 0, nb = 0;
            for (int i = 0; i < a.Length; i++) { s += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
            return s / Math.Sqrt(na * nb);
        });
        var candidates = QueryFixture.Rank(_dense.Keys, id => fixture(dq, _dense[id]), id => 0, 30).Select(x => x.Id);
        QueryFixture.Same(NaiveNearest(distance, q, candidates, 7), got);
        var first = got[0].Vectors!["colbert"];
        Assert.True(first.IsMulti);
        var want = _multi[got[0].Id.Number];
        Assert.Equal(want.Length, first.VectorCount);
        var expect = Flat(want, distance);
        Assert.Equal(expect, first.Dense, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Recommend_and_discover_score_examples_with_max_sim()
    {
        const Distance d = Distance.Dot;
        using var db = Open();
        db.CreateCollection("c", Collection(d));
        db.Upsert("c", Points(0, 80, 3));
        var pos = Query(21, 2);
        var neg = Query(22, 3);
        double Sim(float[][] example, ulong id) => MaxSimKernelTests.NaiveMaxSim(d, Flat(example, d), Flat(_multi[id], d), Dim);

        var sum = db.Query("c", new QueryRequest
        {
            Query = new ScoringQuery.Recommend { Positive = [VectorInput.FromMulti(pos)], Negative = [VectorInput.FromMulti(neg)], Strategy = RecommendStrategy.SumScores },
            Using = "colbert",
            Limit = 5,
        });
        QueryFixture.Same(QueryFixture.Rank(_multi.Keys, id => Sim(pos, id) - Sim(neg, id), id => Sim(pos, id) - Sim(neg, id), 5), sum);

        // average_vector over multivectors: positives' rows, then the negatives' rows negated; a nearest query with that.
        var avg = db.Query("c", new QueryRequest
        {
            Query = new ScoringQuery.Recommend { Positive = [VectorInput.FromMulti(pos)], Negative = [VectorInput.FromMulti(neg)] },
            Using = "colbert",
            Limit = 5,
        });
        var concatenated = pos.Concat(neg.Select(r => r.Select(x => -x).ToArray())).ToArray();
        QueryFixture.Same(QueryFixture.Rank(_multi.Keys, id => Sim(concatenated, id), id => Sim(concatenated, id), 5), avg);

        // An id as example: its stored multivector (and the point itself is left out).
        var byId = db.Query("c", new QueryRequest
        {
            Query = new ScoringQuery.Recommend { Positive = [VectorInput.FromId(3)], Strategy = RecommendStrategy.BestScore },
            Using = "colbert",
            Limit = 3,
        });
        static double Sigmoid(double x) => 0.5 * (x / (1 + Math.Abs(x)) + 1);
        QueryFixture.Same(QueryFixture.Rank(_multi.Keys.Where(id => id != 3), id => Sim(_multi[3], id), id => Sigmoid(Sim(_multi[3], id)), 3), byId);

        var discover = db.Query("c", new QueryRequest
        {
            Query = new ScoringQuery.Discover(VectorInput.FromMulti(pos), [new ContextPair(VectorInput.FromMulti(pos), VectorInput.FromMulti(neg))]),
            Using = "colbert",
            Limit = 5,
        });
        double Disc(ulong id) => Math.Sign(Sim(pos, id).CompareTo(Sim(neg, id))) + Sigmoid(Sim(pos, id));
        QueryFixture.Same(QueryFixture.Rank(_multi.Keys, Disc, Disc, 5), discover, 1e-4);
    }

    [Fact]
    public void Multivectors_survive_reopen_and_crash_replay_and_keep_their_config()
    {
        var q = Query(31, 2);
        string live = Path.Combine(_dir.Path, "live"), crashed = Path.Combine(_dir.Path, "crashed");
        using (var db = Open(live))
        {
            db.CreateCollection("c", Collection(Distance.Cosine));
            db.Upsert("c", Points(0, 60, 4), WriteOptions.WaitForDurable);
            db.Flush();
            db.Upsert("c", Points(60, 90, 5), WriteOptions.WaitForDurable);
            db.UpdateVectors("c", [new PointVectors(7, new Dictionary<string, Vector> { ["colbert"] = Vector.FromMulti(Query(40, 6)) })], WriteOptions.WaitForDurable);
            _multi[7] = Query(40, 6);
            db.DeleteVectors("c", PointsSelector.Ids([8]), ["colbert"], WriteOptions.WaitForDurable);
            _multi.Remove(8);
            // What a crash leaves: the log holds the later writes, the segments their last flush.
            CopyDirectory(live, crashed, skip: "grape.lock");
        }
        foreach (var path in new[] { live, crashed })
        {
            using var db = Open(path);
            Assert.NotNull(db.GetCollectionInfo("c").Config.Vectors["colbert"].MultivectorConfig);
            Assert.Null(db.GetCollectionInfo("c").Config.Vectors["dense"].MultivectorConfig);
            var got = db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(VectorInput.FromMulti(q)), Using = "colbert", Limit = 10 });
            QueryFixture.Same(NaiveNearest(Distance.Cosine, q, _multi.Keys, 10), got);
            var seven = db.Get("c", [7, 8], PayloadSelector.None, VectorSelector.All);
            Assert.Equal(6, seven.Single(r => r.Id.Number == 7).Vectors!["colbert"].MultiDense!.Length);
            Assert.False(seven.Single(r => r.Id.Number == 8).Vectors!.ContainsKey("colbert"));
        }
    }

    [Fact]
    public async Task Optimizer_merges_keep_multivectors()
    {
        var cfg = new OptimizersConfig { IndexingThreshold = 1, DefaultSegmentNumber = 1, FlushIntervalSec = 1, VacuumMinVectorNumber = 100 };
        using var db = Open(optimizers: cfg);
        db.CreateCollection("c", Collection(Distance.Manhattan));
        for (int b = 0; b < 6; b++) db.Upsert("c", Points(b * 100, b * 100 + 100, 10 + b), WriteOptions.WaitForDurable);
        for (int i = 0; i < 600 && (db.GetCollectionInfo("c").SegmentsCount > 2 || db.GetCollectionInfo("c").Status != CollectionStatus.Green); i++)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.True(db.GetCollectionInfo("c").SegmentsCount <= 2, "segments were not merged");
        var q = Query(51, 3);
        var got = db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(VectorInput.FromMulti(q)), Using = "colbert", Limit = 10 });
        QueryFixture.Same(NaiveNearest(Distance.Manhattan, q, _multi.Keys, 10), got);
        foreach (var r in db.Get("c", [0, 250, 599], PayloadSelector.None, VectorSelector.Only(["colbert"])))
            Assert.Equal(_multi[r.Id.Number].SelectMany(x => x), r.Vectors!["colbert"].Dense);
    }

    [Fact]
    public void Bad_multivector_input_is_refused_with_the_problem_named()
    {
        using var db = Open();
        db.CreateCollection("c", Collection(Distance.Dot));
        db.Upsert("c", Points(0, 5, 6));
        PointStruct With(string name, Vector v) => new(100, new Dictionary<string, Vector> { [name] = v });

        Assert.Contains("must not be empty", Assert.Throws<BadRequestException>(() => Vector.FromMulti([])).Message);
        Assert.Contains("same dimension", Assert.Throws<BadRequestException>(() => Vector.FromMulti([[1, 2, 3, 4], [1, 2]])).Message);
        var wrongSize = Assert.Throws<BadRequestException>(() => db.Upsert("c", [With("colbert", Vector.FromMulti([[1, 2, 3], [1, 2, 3]]))]));
        Assert.Contains("expected dim: 4, got 3", wrongSize.Message);
        var multiForDense = Assert.Throws<BadRequestException>(() => db.Upsert("c", [With("dense", Vector.FromMulti([[1, 2, 3, 4, 5, 6, 7, 8]]))]));
        Assert.Contains("Conversion between multi and regular vectors failed", multiForDense.Message);
        var nan = Assert.Throws<BadRequestException>(() => db.Upsert("c", [With("colbert", Vector.FromMulti([[1, 2, 3, 4], [float.NaN, 0, 0, 0]]))]));
        Assert.Contains("NaN", nan.Message);
        Assert.Throws<BadRequestException>(() => db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(VectorInput.FromMulti([[1, 2, 3, 4, 5, 6, 7, 8]])), Using = "dense" }));
        Assert.Throws<BadRequestException>(() => db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(VectorInput.FromMulti([[1, 2]])), Using = "colbert" }));
        Assert.Equal(5, db.Count("c")); // nothing written

        // A plain vector of the right size for a multivector field is one sub-vector (Qdrant stores it so).
        db.Upsert("c", [With("colbert", new float[] { 1, 2, 3, 4 })]);
        Assert.Equal(1, db.Get("c", [100], PayloadSelector.None, VectorSelector.All)[0].Vectors!["colbert"].VectorCount);

        var badComparator = new CreateCollectionRequest
        {
            Vectors = new Dictionary<string, VectorParams> { ["m"] = new(4, Distance.Dot) { MultivectorConfig = new MultiVectorConfig((MultiVectorComparator)7) } },
        };
        Assert.Contains("comparator", Assert.Throws<BadRequestException>(() => db.CreateCollection("d", badComparator)).Message);
    }

    private static void CopyDirectory(string from, string to, string skip)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from))
            if (Path.GetFileName(f) != skip) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)), skip);
    }
}
