using System.Net;
using System.Text.Json.Nodes;

namespace Grape.Server.Tests.Rest.Endpoints;

/// <summary>The Query API's JSON shapes: prefetch + fusion, formula, groups, matrix, legacy recommend/discover, errors.</summary>
public sealed class QueryEndpointsTests
{
    private static async Task<GrapeTestServer> WithPointsAsync()
    {
        var s = await GrapeTestServer.StartAsync();
        await s.CreateCollectionAsync("c");
        (await s.PutAsync("/collections/c/points?wait=true", """
            {"points":[
              {"id":1,"vector":[1,0,0,0],"payload":{"g":"a","n":1}},
              {"id":2,"vector":[0.9,0.1,0,0],"payload":{"g":"b","n":2}},
              {"id":3,"vector":[0,0,1,0],"payload":{"g":"a","n":3}},
              {"id":4,"vector":[0,0,0,1],"payload":{"g":["b","c"],"n":4}}
            ]}
            """)).AssertOk();
        return s;
    }

    private static long[] Ids(JsonNode? points) => points!.AsArray().Select(h => h!["id"]!.GetValue<long>()).ToArray();

    [Fact]
    public async Task Prefetch_with_rrf_fusion_fuses_by_rank()
    {
        await using var s = await WithPointsAsync();
        // A = [1, 2, 3] (3 ties 4 at 0, lower id first), B = [3, 1, 2]: 1 → 1/2 + 1/3, 3 → 1/4 + 1/2, 2 → 1/3 + 1/4.
        var r = (await s.PostAsync("/collections/c/points/query", """
            {"prefetch":[{"query":[1,0,0,0],"limit":3},{"query":[0,0,1,0],"limit":3}],"query":{"fusion":"rrf"},"limit":3,"with_payload":["g"]}
            """)).AssertOk().Result!;
        var points = r["points"]!.AsArray();
        Assert.Equal([1L, 3L, 2L], Ids(points));
        Assert.Equal(5.0 / 6, points[0]!["score"]!.GetValue<double>(), 1e-6);
        Assert.Equal(0.75, points[1]!["score"]!.GetValue<double>(), 1e-6);
        Assert.Equal("a", points[0]!["payload"]!["g"]!.GetValue<string>());
        Assert.Null(points[0]!["payload"]!["n"]);
        Assert.Null(r["explain"]);

        var weighted = (await s.PostAsync("/collections/c/points/query", """
            {"prefetch":[{"query":[1,0,0,0],"limit":3},{"query":[0,0,1,0],"limit":3}],"query":{"rrf":{"k":1,"weights":[1,0]}},"limit":2}
            """)).AssertOk().Result!;
        Assert.Equal([1L, 2L], Ids(weighted["points"]));
        Assert.Equal(1.0, weighted["points"]![0]!["score"]!.GetValue<double>(), 1e-6);
    }

    [Fact]
    public async Task Formula_over_a_prefetch_and_the_explain_extension()
    {
        await using var s = await WithPointsAsync();
        var r = (await s.PostAsync("/collections/c/points/query", """
            {"prefetch":{"query":[1,0,0,0],"limit":4},
             "query":{"formula":{"sum":["$score",{"mult":[0.5,"n"]},{"key":"g","match":{"value":"a"}}]}},
             "explain":true}
            """)).AssertOk().Result!;
        // (Dot) 1: 1 + 0.5 + 1, 2: 0.9 + 1, 3: 0 + 1.5 + 1, 4: 0 + 2 + 0.
        Assert.Equal([1L, 3L, 4L, 2L], Ids(r["points"])); // 1 and 3 tie at 2.5: lower id first
        Assert.Equal(2.5, r["points"]![0]!["score"]!.GetValue<double>(), 1e-6);
        var explain = r["explain"]!.AsArray();
        Assert.Equal(2, explain.Count);
        Assert.Equal("prefetch", explain[0]!["role"]!.GetValue<string>());
        Assert.Equal("formula", explain[1]!["method"]!.GetValue<string>());

        var e = (await s.PostAsync("/collections/c/points/query", """{"prefetch":{"query":[1,0,0,0]},"query":{"formula":{"div":{"left":1,"right":"missing"}}}}"""))
            .AssertError(HttpStatusCode.BadRequest, "No value found in a payload nor defaults");
        Assert.Contains("missing", e.Error!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_results_have_Qdrant_shape()
    {
        await using var s = await WithPointsAsync();
        var r = (await s.PostAsync("/collections/c/points/query/groups", """{"query":[1,0,0,0],"group_by":"g","group_size":2,"limit":3}""")).AssertOk().Result!;
        var groups = r["groups"]!.AsArray();
        Assert.Equal(["a", "b", "c"], groups.Select(g => g!["id"]!.GetValue<string>()));
        Assert.Equal([1L, 3L], Ids(groups[0]!["hits"]));
        Assert.Equal([2L, 4L], Ids(groups[1]!["hits"]));
        Assert.Equal([4L], Ids(groups[2]!["hits"])); // an array value puts the point in every group

        var legacy = (await s.PostAsync("/collections/c/points/search/groups", """{"vector":[1,0,0,0],"group_by":"g","group_size":1,"limit":2,"with_lookup":"c"}""")).AssertOk().Result!;
        Assert.Equal(["a", "b"], legacy["groups"]!.AsArray().Select(g => g!["id"]!.GetValue<string>()));
        Assert.Null(legacy["groups"]![0]!["lookup"]); // "a" is no point id

        var reco = (await s.PostAsync("/collections/c/points/recommend/groups", """{"positive":[1],"group_by":"n","group_size":1,"limit":2,"with_lookup":{"collection":"c","with_payload":false}}""")).AssertOk().Result!;
        var first = reco["groups"]![0]!;
        Assert.Equal(2, first["id"]!.GetValue<long>());
        Assert.Equal(2, first["lookup"]!["id"]!.GetValue<long>()); // group id 2 looked up as point 2
        Assert.Null(first["lookup"]!["payload"]);
    }

    [Fact]
    public async Task Distance_matrix_as_pairs_and_offsets()
    {
        await using var s = await WithPointsAsync();
        var pairs = (await s.PostAsync("/collections/c/points/search/matrix/pairs", """{"sample":10,"limit":1}""")).AssertOk().Result!["pairs"]!.AsArray();
        Assert.Equal(4, pairs.Count);
        var p1 = pairs.Single(p => p!["a"]!.GetValue<long>() == 1)!;
        Assert.Equal(2, p1["b"]!.GetValue<long>());
        Assert.Equal(0.9, p1["score"]!.GetValue<double>(), 1e-6); // the test collection is Dot

        var offsets = (await s.PostAsync("/collections/c/points/search/matrix/offsets", """{"sample":10,"limit":1}""")).AssertOk().Result!;
        Assert.Equal([1L, 2L, 3L, 4L], offsets["ids"]!.AsArray().Select(i => i!.GetValue<long>()));
        Assert.Equal([0L, 1L, 2L, 3L], offsets["offsets_row"]!.AsArray().Select(i => i!.GetValue<long>()));
        Assert.Equal(1, offsets["offsets_col"]![0]!.GetValue<long>());
        Assert.Equal(4, offsets["scores"]!.AsArray().Count);
        (await s.PostAsync("/collections/c/points/search/matrix/pairs", """{"sample":1}""")).AssertError(HttpStatusCode.UnprocessableEntity, "sample");
    }

    [Fact]
    public async Task Legacy_recommend_and_discover_answer_as_the_query_does()
    {
        await using var s = await WithPointsAsync();
        var legacy = (await s.PostAsync("/collections/c/points/recommend", """{"positive":[1],"negative":[3],"strategy":"best_score","limit":3}""")).AssertOk().Result!.AsArray();
        var query = (await s.PostAsync("/collections/c/points/query", """{"query":{"recommend":{"positive":[1],"negative":[3],"strategy":"best_score"}},"limit":3}""")).AssertOk().Result!["points"]!.AsArray();
        Assert.Equal(Ids(query), Ids(legacy));
        Assert.Equal(query.Select(p => p!["score"]!.GetValue<double>()), legacy.Select(p => p!["score"]!.GetValue<double>()));
        Assert.DoesNotContain(1L, Ids(legacy));

        var batch = (await s.PostAsync("/collections/c/points/recommend/batch", """{"searches":[{"positive":[1],"limit":1},{"positive":[3],"limit":1}]}""")).AssertOk().Result!.AsArray();
        Assert.Equal(2, batch[0]![0]!["id"]!.GetValue<long>());

        var discover = (await s.PostAsync("/collections/c/points/discover", """{"target":[1,0,0,0],"context":[{"positive":3,"negative":4}],"limit":2}""")).AssertOk().Result!.AsArray();
        // Point 1 and 2 have rank 0 (equidistant from 3 and 4), so the target decides; 3 and 4 are examples, left out.
        Assert.Equal([1L, 2L], Ids(discover));
        Assert.Equal(0.5 * (1 / 2.0 + 1), discover[0]!["score"]!.GetValue<double>(), 1e-6);
        var discoverBatch = (await s.PostAsync("/collections/c/points/discover/batch", """{"searches":[{"context":[{"positive":3,"negative":4}],"limit":1}]}""")).AssertOk().Result!.AsArray();
        Assert.Single(discoverBatch);

        (await s.PostAsync("/collections/c/points/recommend", """{"positive":[],"limit":3}""")).AssertError(HttpStatusCode.BadRequest, "At least one positive vector ID required");
    }

    [Theory]
    [InlineData("""{"query":{"fusion":"rrf"}}""", "cannot apply Fusion without prefetches")]
    [InlineData("""{"prefetch":[{"query":[1,0,0,0]}]}""", "A query is needed to merge the prefetches")]
    [InlineData("""{"prefetch":[{"query":[1,0,0,0],"using":"x"}],"query":{"fusion":"dbsf"}}""", "Not existing vector name error: x")]
    [InlineData("""{"query":{"order_by":"n"}}""", "No range index for `order_by` key: `n`")]
    [InlineData("""{"query":{"recommend":{"strategy":"sum_scores"}}}""", "At least one positive or negative")]
    [InlineData("""{"prefetch":{"query":[1,0,0,0]},"query":{"formula":"$nope"}}""", "Invalid reserved word: $nope")]
    public async Task Bad_queries_are_400_naming_the_problem(string body, string fragment)
    {
        await using var s = await WithPointsAsync();
        (await s.PostAsync("/collections/c/points/query", body)).AssertError(HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task Without_query_points_come_in_id_order_and_sample_is_random()
    {
        await using var s = await WithPointsAsync();
        var r = (await s.PostAsync("/collections/c/points/query", """{"limit":3,"filter":{"must_not":{"has_id":[2]}}}""")).AssertOk().Result!;
        Assert.Equal([1L, 3L, 4L], Ids(r["points"]));
        var sample = (await s.PostAsync("/collections/c/points/query", """{"query":{"sample":"random"},"limit":10}""")).AssertOk().Result!;
        Assert.Equal([1L, 2L, 3L, 4L], Ids(sample["points"]).Order());
    }
}
