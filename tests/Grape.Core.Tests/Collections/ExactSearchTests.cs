using FsCheck;
using FsCheck.Xunit;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Core.Tests.TestKit;
using System.Text.Json.Nodes;

namespace Grape.Core.Tests.Collections;

public class ExactSearchTests
{
    private static GrapeOptions Options() => GrapeOptions.InMemory() with { EnableOptimizer = false };

    /// <summary>Random data with few distinct coordinates so that near-ties are common but exact ties are resolved the same way.</summary>
    private static (Dictionary<ulong, float[]> Points, float[] Query) Dataset(int seed, int n, int dim)
    {
        var r = new Random(seed);
        var points = new Dictionary<ulong, float[]>();
        while (points.Count < n)
        {
            var v = new float[dim];
            for (int i = 0; i < dim; i++) v[i] = (float)(r.NextDouble() * 2 - 1);
            points[(ulong)r.Next(0, 1_000_000)] = v;
        }
        var q = new float[dim];
        for (int i = 0; i < dim; i++) q[i] = (float)(r.NextDouble() * 2 - 1);
        return (points, q);
    }

    [Property(MaxTest = 40)]
    public bool Exact_search_equals_the_naive_reference(PositiveInt seed, byte distanceIndex, byte dimByte, byte countByte)
    {
        var distance = (Distance)(distanceIndex % 4);
        int dim = 1 + dimByte % 40, n = 1 + countByte % 120;
        var (points, query) = Dataset(seed.Get, n, dim);
        using var db = GrapeDatabase.Open(Options());
        db.CreateCollection("c", CreateCollectionRequest.Single(dim, distance));
        db.Upsert("c", points.Select(p => new PointStruct(p.Key, p.Value, new JsonObject { ["id"] = p.Key })).ToList());
        int k = 1 + seed.Get % 15;
        var got = db.Search("c", new SearchRequest(query) { Limit = k, WithPayload = PayloadSelector.All });
        var want = Naive.TopK(distance, points, query, k);
        if (got.Count != want.Count) return false;
        for (int i = 0; i < got.Count; i++)
        {
            // A near-tie may swap neighbours in float32: accept a different id only at an equal score.
            if (Math.Abs(got[i].Score - want[i].Score) > 1e-4 * Math.Max(1, Math.Abs(want[i].Score))) return false;
            if (got[i].Id.Number != want[i].Id && Math.Abs(Naive.Score(distance, query, points[got[i].Id.Number]) - want[i].Score) > 1e-4) return false;
            if ((ulong)got[i].Payload!["id"]!.GetValue<ulong>() != got[i].Id.Number) return false;
        }
        return true;
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void Offset_threshold_and_filter_follow_Qdrant(Distance distance)
    {
        var (points, query) = Dataset(7, 300, 16);
        using var db = GrapeDatabase.Open(Options());
        db.CreateCollection("c", CreateCollectionRequest.Single(16, distance));
        db.Upsert("c", points.Select(p => new PointStruct(p.Key, p.Value, new JsonObject { ["even"] = p.Key % 2 == 0 })).ToList());

        var all = Naive.TopK(distance, points, query, points.Count);
        var page = db.Search("c", new SearchRequest(query) { Limit = 5, Offset = 10 });
        Assert.Equal(all.Skip(10).Take(5).Select(x => x.Id), page.Select(p => p.Id.Number));

        double threshold = all[20].Score;
        var above = db.Search("c", new SearchRequest(query) { Limit = 1000, ScoreThreshold = (float)threshold });
        Assert.InRange(above.Count, 20, 22); // the 21st is at the threshold itself (inclusive), float rounding aside
        Assert.All(above, p => Assert.True(Naive.HigherIsBetter(distance) ? p.Score >= threshold - 1e-4 : p.Score <= threshold + 1e-4));

        var even = db.Search("c", new SearchRequest(query)
        {
            Limit = 7,
            Filter = Filter.MustAll(new FieldCondition("even") { Match = new MatchValue(true) }),
        });
        var wantEven = Naive.TopK(distance, points.Where(p => p.Key % 2 == 0).ToDictionary(), query, 7);
        Assert.Equal(wantEven.Select(x => x.Id), even.Select(p => p.Id.Number));
    }

    [Fact]
    public void Search_spans_segments_after_optimization_and_reopen()
    {
        using var dir = new TempDir();
        var (points, query) = Dataset(11, 2_000, 8);
        var opts = new GrapeOptions(dir.Path) { EnableOptimizer = false };
        using (var db = GrapeDatabase.Open(opts))
        {
            db.CreateCollection("c", CreateCollectionRequest.Single(8, Distance.Euclid));
            db.Upsert("c", points.Select(p => new PointStruct(p.Key, p.Value)).ToList(), WriteOptions.WaitForDurable);
        }
        using (var db = GrapeDatabase.Open(opts))
        {
            var got = db.Search("c", new SearchRequest(query) { Limit = 10 });
            Assert.Equal(Naive.TopK(Distance.Euclid, points, query, 10).Select(x => x.Id), got.Select(p => p.Id.Number));
        }
    }
}
