using Grape.Core.Collections;
using Grape.Core.Errors;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Core.Query;

namespace Grape.Core.Tests.Query;

public class QueryFormsTests
{
    private static readonly Distance[] AllDistances = [Distance.Cosine, Distance.Dot, Distance.Euclid, Distance.Manhattan];

    public static TheoryData<Distance> Distances() => new(AllDistances);

    private static double Sigmoid(double x) => x / (1 + Math.Abs(x));
    private static double Scaled(double x) => 0.5 * (Sigmoid(x) + 1);

    [Theory, MemberData(nameof(Distances))]
    public void Nearest_by_vector_and_by_point_id_equal_the_naive_reference(Distance d)
    {
        using var f = new QueryFixture(d);
        var q = QueryFixture.Random(new Random(5));
        var got = f.Db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(q), Using = "a", Limit = 12 });
        QueryFixture.Same(QueryFixture.Rank(f.A.Keys, id => f.Similarity(q, f.A[id]), id => f.NearestScore(q, f.A[id]), 12), got);

        // A point id as the query: its stored vector, the point itself left out.
        var byId = f.Db.Query("c", new QueryRequest { Query = new ScoringQuery.Nearest(PointId.FromNumber(7)), Using = "a", Limit = 5 });
        var want = QueryFixture.Rank(f.A.Keys.Where(id => id != 7), id => f.Similarity(f.A[7], f.A[id]), id => f.NearestScore(f.A[7], f.A[id]), 5);
        QueryFixture.Same(want, byId);
    }

    [Theory, MemberData(nameof(Distances))]
    public void Recommend_strategies_equal_the_naive_reference(Distance d)
    {
        using var f = new QueryFixture(d);
        PointId[] pos = [PointId.FromNumber(3), PointId.FromNumber(10)];
        PointId[] neg = [PointId.FromNumber(20)];
        var extra = QueryFixture.Random(new Random(9));
        var candidates = f.A.Keys.Where(id => id is not (3 or 10 or 20)).ToList();
        float[][] posV = [f.A[3], f.A[10], extra], negV = [f.A[20]];
        var positives = new List<VectorInput> { pos[0], pos[1], extra };

        // best_score: sigmoid of the best positive, or minus the sigmoid of the best negative when that one is closer.
        double Best(ulong id)
        {
            double p = posV.Max(v => f.Similarity(v, f.A[id])), n = negV.Max(v => f.Similarity(v, f.A[id]));
            return p > n ? Scaled(p) : -Scaled(n);
        }
        var best = f.Db.Query("c", new QueryRequest
        {
            Using = "a",
            Limit = 10,
            Query = new ScoringQuery.Recommend { Positive = positives, Negative = [neg[0]], Strategy = RecommendStrategy.BestScore },
        });
        QueryFixture.Same(QueryFixture.Rank(candidates, Best, Best, 10), best);

        double Sum(ulong id) => posV.Sum(v => f.Similarity(v, f.A[id])) - negV.Sum(v => f.Similarity(v, f.A[id]));
        var sum = f.Db.Query("c", new QueryRequest
        {
            Using = "a",
            Limit = 10,
            Query = new ScoringQuery.Recommend { Positive = positives, Negative = [neg[0]], Strategy = RecommendStrategy.SumScores },
        });
        QueryFixture.Same(QueryFixture.Rank(candidates, Sum, Sum, 10), sum, 1e-4);

        // average_vector: nearest to avg(pos) + (avg(pos) − avg(neg)), over the examples as given (stored ones normalised for cosine).
        float[] Stored(float[] v) => d == Distance.Cosine ? Normalized(v) : v;
        var avg = new float[QueryFixture.Dim];
        for (int i = 0; i < avg.Length; i++)
        {
            float p = (Stored(f.A[3])[i] + Stored(f.A[10])[i] + extra[i]) / 3f;
            avg[i] = p + p - Stored(f.A[20])[i];
        }
        var average = f.Db.Query("c", new QueryRequest
        {
            Using = "a",
            Limit = 10,
            Query = new ScoringQuery.Recommend { Positive = positives, Negative = [neg[0]] },
        });
        QueryFixture.Same(QueryFixture.Rank(candidates, id => f.Similarity(avg, f.A[id]), id => f.NearestScore(avg, f.A[id]), 10), average, 1e-4);
    }

    private static float[] Normalized(float[] v)
    {
        double n = Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => (float)(x / n)).ToArray();
    }

    [Theory, MemberData(nameof(Distances))]
    public void Discover_and_context_equal_the_naive_reference(Distance d)
    {
        using var f = new QueryFixture(d);
        var target = QueryFixture.Random(new Random(3));
        var pairs = new[] { (P: 4ul, N: 5ul), (P: 6ul, N: 8ul) };
        var candidates = f.A.Keys.Where(id => id is not (4 or 5 or 6 or 8)).ToList();
        var context = pairs.Select(p => new ContextPair(PointId.FromNumber(p.P), PointId.FromNumber(p.N))).ToList();

        double Discover(ulong id)
        {
            int rank = pairs.Sum(p => Math.Sign(f.Similarity(f.A[p.P], f.A[id]) - f.Similarity(f.A[p.N], f.A[id])));
            return rank + Scaled(f.Similarity(target, f.A[id]));
        }
        var discover = f.Db.Query("c", new QueryRequest { Using = "a", Limit = 10, Query = new ScoringQuery.Discover(target, context) });
        QueryFixture.Same(QueryFixture.Rank(candidates, Discover, Discover, 10), discover);

        double Context(ulong id) => pairs.Sum(p => Sigmoid(Math.Min(f.Similarity(f.A[p.P], f.A[id]) - f.Similarity(f.A[p.N], f.A[id]) - 1.1920929e-7, 0)));
        var ctx = f.Db.Query("c", new QueryRequest { Using = "a", Limit = 10, Query = new ScoringQuery.Context(context) });
        QueryFixture.Same(QueryFixture.Rank(candidates, Context, Context, 10), ctx);
    }

    [Theory, MemberData(nameof(Distances))]
    public void Prefetch_then_rescore_by_another_vector_equals_the_naive_reference(Distance d)
    {
        using var f = new QueryFixture(d);
        var qa = QueryFixture.Random(new Random(11));
        var qb = QueryFixture.Random(new Random(12));
        var even = Filter.MustAll(new FieldCondition("even") { Match = new MatchValue(true) });
        var got = f.Db.Query("c", new QueryRequest
        {
            Prefetches = [new Prefetch { Query = new ScoringQuery.Nearest(qa), Using = "a", Limit = 30 }],
            Query = new ScoringQuery.Nearest(qb),
            Using = "b",
            Filter = even,
            Limit = 8,
            Offset = 2,
        });
        // The outer filter applies to the prefetch; the outer query ranks only the prefetched points.
        var prefetched = QueryFixture.Rank(f.A.Keys.Where(id => id % 2 == 0), id => f.Similarity(qa, f.A[id]), _ => 0, 30).Select(x => x.Id);
        var want = QueryFixture.Rank(prefetched, id => f.Similarity(qb, f.B[id]), id => f.NearestScore(qb, f.B[id]), 10).Skip(2).ToList();
        QueryFixture.Same(want, got);
    }

    [Fact]
    public void Nested_prefetches_narrow_step_by_step()
    {
        using var f = new QueryFixture(Distance.Cosine);
        var qa = QueryFixture.Random(new Random(21));
        var qb = QueryFixture.Random(new Random(22));
        var inner = new Prefetch { Query = new ScoringQuery.Nearest(qa), Using = "a", Limit = 60 };
        var middle = new Prefetch { Prefetches = [inner], Query = new ScoringQuery.Nearest(qb), Using = "b", Limit = 20 };
        var got = f.Db.Query("c", new QueryRequest { Prefetches = [middle], Query = new ScoringQuery.Nearest(qa), Using = "a", Limit = 5 });
        var s1 = QueryFixture.Rank(f.A.Keys, id => f.Similarity(qa, f.A[id]), _ => 0, 60).Select(x => x.Id);
        var s2 = QueryFixture.Rank(s1, id => f.Similarity(qb, f.B[id]), _ => 0, 20).Select(x => x.Id);
        QueryFixture.Same(QueryFixture.Rank(s2, id => f.Similarity(qa, f.A[id]), id => f.NearestScore(qa, f.A[id]), 5), got);

        var tooDeep = new Prefetch { Query = new ScoringQuery.Nearest(qa), Using = "a" };
        for (int i = 0; i < 64; i++) tooDeep = new Prefetch { Prefetches = [tooDeep], Query = new ScoringQuery.Nearest(qa), Using = "a" };
        var e = Assert.Throws<BadRequestException>(() => f.Db.Query("c", new QueryRequest { Prefetches = [tooDeep], Query = new ScoringQuery.Fusion(FusionKind.Rrf) }));
        Assert.Contains("exceeds max depth 64", e.Message);
    }

    [Fact]
    public void Many_sibling_prefetches_fuse_in_request_order_and_the_first_failure_in_request_order_is_reported()
    {
        using var f = new QueryFixture(Distance.Dot);
        var queries = Enumerable.Range(0, 6).Select(i => QueryFixture.Random(new Random(40 + i))).ToArray();
        var prefetches = queries.Select((q, i) => new Prefetch { Query = new ScoringQuery.Nearest(q), Using = i % 2 == 0 ? "a" : "b", Limit = 15 + i }).ToList();
        var explain = new QueryExplain();
        for (int round = 0; round < 20; round++)
        {
            var got = f.Db.Query("c", new QueryRequest { Prefetches = prefetches, Query = new ScoringQuery.Fusion(FusionKind.Rrf), Limit = 10 }, round == 0 ? explain : null);
            // RRF from the definition over the six exact lists, in request order (the order decides ties).
            var lists = queries.Select((q, i) => QueryFixture.Rank(f.A.Keys, id => f.Similarity(q, (i % 2 == 0 ? f.A : f.B)[id]), _ => 0, 15 + i).Select(x => x.Id).ToList()).ToList();
            var rrf = new Dictionary<ulong, float>();
            foreach (var list in lists)
                for (int r = 0; r < list.Count; r++) rrf[list[r]] = rrf.GetValueOrDefault(list[r]) + 1f / (2 + r);
            var want = rrf.OrderByDescending(x => x.Value).ThenBy(x => x.Key).Take(10).Select(x => x.Key).ToList();
            Assert.Equal(want, got.Select(p => p.Id.Number).ToList());
        }
        Assert.Equal(7, explain.Stages.Count);
        Assert.Equal(6, explain.Stages.Count(s => s.Role == "prefetch" && s.Method == "vector search"));
        Assert.Equal("rrf fusion", explain.Stages[^1].Method);

        // Two bad prefetches: the error names the first one in the request.
        var bad = new List<Prefetch>(prefetches);
        bad.Insert(2, new Prefetch { Query = new ScoringQuery.Nearest(queries[0]), Using = "first_bad" });
        bad.Add(new Prefetch { Query = new ScoringQuery.Nearest(queries[0]), Using = "second_bad" });
        for (int round = 0; round < 20; round++)
        {
            var e = Assert.Throws<BadRequestException>(() => f.Db.Query("c", new QueryRequest { Prefetches = bad, Query = new ScoringQuery.Fusion(FusionKind.Rrf) }));
            Assert.Contains("first_bad", e.Message);
        }
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Euclid)]
    public void Rrf_and_dbsf_fusion_of_two_prefetches_equal_the_definitions(Distance d)
    {
        using var f = new QueryFixture(d);
        var qa = QueryFixture.Random(new Random(31));
        var qb = QueryFixture.Random(new Random(32));
        Prefetch[] prefetches =
        [
            new Prefetch { Query = new ScoringQuery.Nearest(qa), Using = "a", Limit = 25 },
            new Prefetch { Query = new ScoringQuery.Nearest(qb), Using = "b", Limit = 15 },
        ];
        var la = QueryFixture.Rank(f.A.Keys, id => f.Similarity(qa, f.A[id]), id => f.NearestScore(qa, f.A[id]), 25);
        var lb = QueryFixture.Rank(f.A.Keys, id => f.Similarity(qb, f.B[id]), id => f.NearestScore(qb, f.B[id]), 15);

        var rrf = new Dictionary<ulong, double>();
        void AddRrf(List<(ulong Id, double Score)> list, double weight, int k)
        {
            for (int i = 0; i < list.Count; i++) rrf[list[i].Id] = rrf.GetValueOrDefault(list[i].Id) + 1.0 / ((i + 1) / weight + k - 1);
        }
        AddRrf(la, 1, 2);
        AddRrf(lb, 1, 2);
        var gotRrf = f.Db.Query("c", new QueryRequest { Prefetches = prefetches, Query = new ScoringQuery.Fusion(FusionKind.Rrf), Limit = 10 });
        QueryFixture.Same(QueryFixture.Rank(rrf.Keys, id => rrf[id], id => rrf[id], 10), gotRrf);

        rrf.Clear();
        AddRrf(la, 3, 60);
        AddRrf(lb, 0.5, 60);
        var weighted = f.Db.Query("c", new QueryRequest { Prefetches = prefetches, Query = new ScoringQuery.Rrf { K = 60, Weights = [3f, 0.5f] }, Limit = 10 });
        QueryFixture.Same(QueryFixture.Rank(rrf.Keys, id => rrf[id], id => rrf[id], 10), weighted);

        var dbsf = new Dictionary<ulong, double>();
        foreach (var list in new[] { la, lb })
        {
            double mean = list.Average(x => x.Score);
            double sd = Math.Sqrt(list.Sum(x => (x.Score - mean) * (x.Score - mean)) / (list.Count - 1));
            foreach (var (id, s) in list) dbsf[id] = dbsf.GetValueOrDefault(id) + (s - (mean - 3 * sd)) / (6 * sd);
        }
        var gotDbsf = f.Db.Query("c", new QueryRequest { Prefetches = prefetches, Query = new ScoringQuery.Fusion(FusionKind.Dbsf), Limit = 10 });
        QueryFixture.Same(QueryFixture.Rank(dbsf.Keys, id => dbsf[id], id => dbsf[id], 10), gotDbsf, 1e-4);
    }

    [Fact]
    public void Formula_rescores_prefetched_points_with_scores_and_payload()
    {
        using var f = new QueryFixture(Distance.Dot);
        var qa = QueryFixture.Random(new Random(41));
        var qb = QueryFixture.Random(new Random(42));
        var formula = new ScoringQuery.Formula(new Expression.Sum([
            new Expression.Mult(["$score", 2.0]),
            new Expression.Mult(["$score[1]", "boost"]),
            new Expression.ConditionValue(new FieldCondition("even") { Match = new MatchValue(true) }),
        ]));
        var got = f.Db.Query("c", new QueryRequest
        {
            Prefetches =
            [
                new Prefetch { Query = new ScoringQuery.Nearest(qa), Using = "a", Limit = 20 },
                new Prefetch { Query = new ScoringQuery.Nearest(qb), Using = "b", Limit = 20 },
            ],
            Query = formula,
            Limit = 10,
        });
        var la = QueryFixture.Rank(f.A.Keys, id => f.Similarity(qa, f.A[id]), id => f.NearestScore(qa, f.A[id]), 20).ToDictionary(x => x.Id, x => x.Score);
        var lb = QueryFixture.Rank(f.A.Keys, id => f.Similarity(qb, f.B[id]), id => f.NearestScore(qb, f.B[id]), 20).ToDictionary(x => x.Id, x => x.Score);
        double Score(ulong id) => 2 * la.GetValueOrDefault(id) + lb.GetValueOrDefault(id) * (double)f.Payloads[id]["boost"]!.GetValue<double>() + (id % 2 == 0 ? 1 : 0);
        QueryFixture.Same(QueryFixture.Rank(la.Keys.Union(lb.Keys), Score, Score, 10), got, 1e-4);
    }

    [Fact]
    public void Order_by_sorts_by_payload_value_and_needs_a_range_index_like_Qdrant()
    {
        using var f = new QueryFixture(Distance.Cosine);
        var asc = f.Db.QueryWithoutIndexChecks("c", new QueryRequest { Query = new ScoringQuery.OrderByQuery(new OrderBy("rank")), Limit = 10 });
        var wantAsc = f.Payloads.OrderBy(p => (int)p.Value["rank"]!).ThenBy(p => p.Key).Take(10).Select(p => p.Key).ToList();
        Assert.Equal(wantAsc, asc.Select(p => p.Id.Number));
        Assert.All(asc, p => { Assert.Equal(1f, p.Score); Assert.Equal(0ul, p.Version); });
        Assert.Equal((int)f.Payloads[wantAsc[0]]["rank"]!, asc[0].OrderValue!.Value.Integer);

        var desc = f.Db.QueryWithoutIndexChecks("c", new QueryRequest
        {
            Query = new ScoringQuery.OrderByQuery(new OrderBy("rank") { Direction = OrderDirection.Desc, StartFrom = 50 }),
            Filter = Filter.MustAll(new FieldCondition("even") { Match = new MatchValue(true) }),
            Limit = 10,
        });
        var wantDesc = f.Payloads.Where(p => p.Key % 2 == 0 && (int)p.Value["rank"]! <= 50)
            .OrderByDescending(p => (int)p.Value["rank"]!).ThenByDescending(p => p.Key).Take(10).Select(p => p.Key).ToList();
        Assert.Equal(wantDesc, desc.Select(p => p.Id.Number));

        var e = Assert.Throws<BadRequestException>(() => f.Db.Query("c", new QueryRequest { Query = new ScoringQuery.OrderByQuery(new OrderBy("rank")) }));
        Assert.StartsWith("Wrong input: No range index for `order_by` key: `rank`", e.Message);
    }

    [Fact]
    public void Sample_returns_distinct_points_matching_the_filter()
    {
        using var f = new QueryFixture(Distance.Cosine);
        var got = f.Db.Query("c", new QueryRequest
        {
            Query = new ScoringQuery.Sample(),
            Limit = 20,
            Offset = 5,
            Filter = Filter.MustAll(new FieldCondition("even") { Match = new MatchValue(true) }),
        });
        Assert.Equal(20, got.Count); // the offset is ignored for a sample, as in Qdrant
        Assert.Equal(20, got.Select(p => p.Id).Distinct().Count());
        Assert.All(got, p => Assert.Equal(0ul, p.Id.Number % 2));
    }

    [Theory]
    [InlineData(Distance.Cosine, 0.5f)]
    [InlineData(Distance.Euclid, 0.8f)]
    public void Mmr_equals_the_naive_greedy_selection(Distance d, float diversity)
    {
        using var f = new QueryFixture(d);
        var q = QueryFixture.Random(new Random(51));
        var got = f.Db.Query("c", new QueryRequest
        {
            Query = new ScoringQuery.Nearest(q) { Mmr = new Mmr { Diversity = diversity, CandidatesLimit = 30 } },
            Using = "a",
            Limit = 8,
        });
        var candidates = QueryFixture.Rank(f.A.Keys, id => f.Similarity(q, f.A[id]), id => f.NearestScore(q, f.A[id]), 30);
        double lambda = 1 - diversity;
        var selected = new List<(ulong Id, double Score)> { candidates[0] };
        var remaining = candidates.Skip(1).ToList();
        while (selected.Count < 8)
        {
            var next = remaining.OrderByDescending(c => lambda * f.Similarity(q, f.A[c.Id]) - (1 - lambda) * selected.Max(s => f.Similarity(f.A[s.Id], f.A[c.Id]))).First();
            selected.Add(next);
            remaining.Remove(next);
        }
        QueryFixture.Same(selected, got, 1e-4);
    }

    [Fact]
    public void Groups_follow_the_ranked_list_and_arrays_join_every_group()
    {
        using var f = new QueryFixture(Distance.Cosine);
        var q = QueryFixture.Random(new Random(61));
        var groups = f.Db.QueryGroups("c", new QueryGroupsRequest(new QueryRequest { Query = new ScoringQuery.Nearest(q), Using = "a", WithPayload = Grape.Core.Points.PayloadSelector.All }, "tags")
        {
            GroupSize = 2,
            Limit = 4,
        });
        var ranked = QueryFixture.Rank(f.A.Keys, id => f.Similarity(q, f.A[id]), id => f.NearestScore(q, f.A[id]), f.A.Count);
        var want = new List<(long Key, List<ulong> Ids)>();
        foreach (var (id, _) in ranked)
        {
            foreach (var key in new long[] { (long)(id % 3), (long)(id % 5) }.Distinct())
            {
                var g = want.FirstOrDefault(x => x.Key == key);
                if (g.Ids is not null) { if (g.Ids.Count < 2) g.Ids.Add(id); }
                else if (want.Count < 4) want.Add((key, [id]));
            }
        }
        Assert.Equal(want.Select(g => g.Key), groups.Select(g => g.Id.Number));
        Assert.Equal(want.Select(g => string.Join(",", g.Ids)), groups.Select(g => string.Join(",", g.Hits.Select(h => h.Id.Number))));
        Assert.NotNull(groups[0].Hits[0].Payload);

        var none = f.Db.QueryGroups("c", new QueryGroupsRequest(new QueryRequest { Query = new ScoringQuery.Nearest(q), Using = "a" }, "missing"));
        Assert.Empty(none); // as in Qdrant: a key no point has makes no groups
    }

    [Theory]
    [InlineData(7, 5)]
    [InlineData(3, 20)]
    [InlineData(10, 1)]
    public void Groups_needing_several_requests_equal_grouping_the_whole_ranked_list(int limit, int groupSize)
    {
        // 150 points in 7 groups of about 21 (g = id % 7): full groups need candidates far down the ranking, so the
        // driver must exclude the full groups and fill the others over several requests.
        using var f = new QueryFixture(Distance.Euclid);
        var q = QueryFixture.Random(new Random(62));
        var groups = f.Db.QueryGroups("c", new QueryGroupsRequest(new QueryRequest { Query = new ScoringQuery.Nearest(q), Using = "a" }, "g")
        {
            GroupSize = groupSize,
            Limit = limit,
        });
        var ranked = QueryFixture.Rank(f.A.Keys, id => f.Similarity(q, f.A[id]), id => f.NearestScore(q, f.A[id]), f.A.Count);
        var want = ranked.GroupBy(x => (long)(x.Id % 7)).Select(g => (Key: g.Key, Best: ranked.FindIndex(r => r.Id % 7 == (ulong)g.Key), Ids: g.Take(groupSize).Select(x => x.Id).ToList()))
            .OrderBy(g => g.Best).Take(limit).ToList();
        Assert.Equal(want.Select(g => g.Key), groups.Select(g => g.Id.Number));
        Assert.Equal(want.Select(g => string.Join(",", g.Ids)), groups.Select(g => string.Join(",", g.Hits.Select(h => h.Id.Number))));
        Assert.All(groups.SelectMany(g => g.Hits), h => Assert.Equal(f.NearestScore(q, f.A[h.Id.Number]), h.Score, 1e-4));
    }

    [Fact]
    public void Distance_matrix_of_the_whole_collection_equals_the_naive_reference()
    {
        using var f = new QueryFixture(Distance.Euclid, n: 12);
        var m = f.Db.SearchMatrix("c", new SearchMatrixRequest { Sample = 50, Limit = 3, Using = "b" });
        Assert.Equal(f.B.Keys.Order(), m.Ids.Select(i => i.Number));
        for (int i = 0; i < m.Ids.Count; i++)
        {
            ulong me = m.Ids[i].Number;
            var want = QueryFixture.Rank(f.B.Keys.Where(id => id != me), id => f.Similarity(f.B[me], f.B[id]), id => f.NearestScore(f.B[me], f.B[id]), 3);
            Assert.Equal(want.Select(w => w.Id), m.Rows[i].Select(r => r.Id.Number));
            for (int j = 0; j < want.Count; j++) Assert.Equal(want[j].Score, m.Rows[i][j].Score, 1e-4);
        }
    }

    [Fact]
    public void Bad_queries_are_refused_with_a_message_naming_the_problem()
    {
        using var f = new QueryFixture(Distance.Cosine);
        var q = QueryFixture.Random(new Random(1));
        void Refused(QueryRequest r, string text) => Assert.Contains(text, Assert.ThrowsAny<GrapeException>(() => f.Db.Query("c", r)).Message);

        Refused(new QueryRequest { Query = new ScoringQuery.Fusion(FusionKind.Rrf) }, "cannot apply Fusion without prefetches");
        Refused(new QueryRequest { Prefetches = [new Prefetch { Query = new ScoringQuery.Nearest(q), Using = "a" }] }, "A query is needed to merge the prefetches");
        Refused(new QueryRequest { Prefetches = [new Prefetch { Query = new ScoringQuery.Nearest(q), Using = "nope" }], Query = new ScoringQuery.Fusion(FusionKind.Rrf) }, "Not existing vector name error: nope");
        Refused(new QueryRequest { Using = "a", Query = new ScoringQuery.Recommend { Strategy = RecommendStrategy.BestScore } }, "At least one positive or negative");
        Refused(new QueryRequest { Using = "a", Query = new ScoringQuery.Recommend() }, "Positive vectors should not be empty");
        Refused(new QueryRequest { Prefetches = [new Prefetch { Query = new ScoringQuery.Nearest(q), Using = "a" }], Query = new ScoringQuery.Formula("$foo") }, "Invalid reserved word: $foo");
        Refused(new QueryRequest { Prefetches = [new Prefetch { Query = new ScoringQuery.Nearest(q), Using = "a" }], Query = new ScoringQuery.Rrf { Weights = [1f, 2f] } }, "Number of weights in RRF should match number of pre-fetches: got 2, expected 1");
        Refused(new QueryRequest { Using = "a", Query = new ScoringQuery.Nearest(PointId.FromNumber(99999)) }, "No point with id 99999 found");
        Refused(new QueryRequest { Using = "a", Query = new ScoringQuery.Nearest(new float[3]) }, "expected dim: 8, got 3");
    }
}
