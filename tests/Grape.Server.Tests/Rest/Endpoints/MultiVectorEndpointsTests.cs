using System.Net;
using System.Text.Json.Nodes;

namespace Grape.Server.Tests.Rest.Endpoints;

/// <summary>Multivectors over REST: multivector_config in and out, [[f32]] writes and reads, max_sim queries, bad input.</summary>
public sealed class MultiVectorEndpointsTests
{
    private static async Task<GrapeTestServer> WithPointsAsync()
    {
        var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync("/collections/m", """
            {"vectors":{"d":{"size":2,"distance":"Dot"},"m":{"size":2,"distance":"Dot","multivector_config":{"comparator":"max_sim"},"hnsw_config":{"m":0}}}}
            """)).AssertOk();
        (await s.PutAsync("/collections/m/points?wait=true", """
            {"points":[
              {"id":1,"vector":{"d":[1,0],"m":[[1,0],[0,1]]}},
              {"id":2,"vector":{"d":[0,1],"m":[[0.5,0.5]]}},
              {"id":3,"vector":{"d":[1,1],"m":[[2,0],[0,0],[0,-1]]}}
            ]}
            """)).AssertOk();
        return s;
    }

    [Fact]
    public async Task Config_and_vectors_round_trip_as_Qdrant_prints_them()
    {
        await using var s = await WithPointsAsync();
        var vectors = (await s.GetAsync("/collections/m")).AssertOk().Result!["config"]!["params"]!["vectors"]!;
        Assert.Equal("max_sim", vectors["m"]!["multivector_config"]!["comparator"]!.GetValue<string>());
        Assert.Null(vectors["d"]!["multivector_config"]);
        var p = (await s.PostAsync("/collections/m/points", """{"ids":[3],"with_vector":true}""")).AssertOk().Result![0]!;
        Assert.Equal("[[2,0],[0,0],[0,-1]]", p["vector"]!["m"]!.ToJsonString());
        Assert.Equal("[1,1]", p["vector"]!["d"]!.ToJsonString());
    }

    [Fact]
    public async Task Max_sim_ranks_queries_and_prefetch_reranks()
    {
        await using var s = await WithPointsAsync();
        // Query rows (1,0) and (0,1): point 1 → 1 + 1 = 2; point 3 → 2 + 0 = 2 (ties: lower id first); point 2 → 0.5 + 0.5 = 1.
        var r = (await s.PostAsync("/collections/m/points/query", """{"query":[[1,0],[0,1]],"using":"m"}""")).AssertOk().Result!["points"]!.AsArray();
        Assert.Equal([1L, 3L, 2L], r.Select(x => x!["id"]!.GetValue<long>()));
        Assert.Equal(2.0, r[0]!["score"]!.GetValue<double>(), 1e-6);
        Assert.Equal(1.0, r[2]!["score"]!.GetValue<double>(), 1e-6);
        // Dense prefetch keeps 2 and 3 (d·(0,1)); the multivector re-ranks them: 3 → 0 + 0 = 0 vs 2 → 0.5... with query (0,1): 3 → 0, 2 → 0.5.
        var rr = (await s.PostAsync("/collections/m/points/query", """
            {"prefetch":{"query":[0,1],"using":"d","limit":2},"query":{"nearest":[[0,1]]},"using":"m","limit":5}
            """)).AssertOk().Result!["points"]!.AsArray();
        Assert.Equal([2L, 3L], rr.Select(x => x!["id"]!.GetValue<long>()));
        Assert.Equal(0.5, rr[0]!["score"]!.GetValue<double>(), 1e-6);
    }

    [Theory]
    [InlineData("""{"points":[{"id":9,"vector":{"m":[[1,2,3]]}}]}""", HttpStatusCode.BadRequest, "expected dim: 2, got 3")]
    [InlineData("""{"points":[{"id":9,"vector":{"d":[[1,2]]}}]}""", HttpStatusCode.BadRequest, "multi and regular vectors")]
    [InlineData("""{"points":[{"id":9,"vector":{"m":[[1,2],[3]]}}]}""", (HttpStatusCode)422, "same dimension")]
    [InlineData("""{"points":[{"id":9,"vector":{"m":[[]]}}]}""", (HttpStatusCode)422, "non-empty")]
    [InlineData("""{"points":[{"id":9,"vector":{"m":[[1,"x"]]}}]}""", HttpStatusCode.BadRequest, "m[0][1]")]
    public async Task Bad_multivectors_are_refused_with_the_problem_named(string body, HttpStatusCode status, string fragment)
    {
        await using var s = await WithPointsAsync();
        (await s.PutAsync("/collections/m/points?wait=true", body)).AssertError(status, fragment);
        Assert.Equal(3, await s.CountAsync("m"));
    }

    [Fact]
    public async Task Unknown_comparator_and_multivector_queries_on_plain_vectors_are_400()
    {
        await using var s = await WithPointsAsync();
        (await s.PutAsync("/collections/x", """{"vectors":{"size":2,"distance":"Dot","multivector_config":{"comparator":"avg"}}}"""))
            .AssertError(HttpStatusCode.BadRequest, "unknown variant `avg`, expected `max_sim`");
        (await s.PostAsync("/collections/m/points/query", """{"query":[[1,0]],"using":"d"}""")).AssertError(HttpStatusCode.BadRequest, "multi and regular vectors");
        (await s.PostAsync("/collections/m/points/query", """{"query":[[1,0,0]],"using":"m"}""")).AssertError(HttpStatusCode.BadRequest, "expected dim: 2, got 3");
    }
}
