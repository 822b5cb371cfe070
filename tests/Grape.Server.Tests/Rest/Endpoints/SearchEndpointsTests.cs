using System.Net;

namespace Grape.Server.Tests.Rest.Endpoints;

public sealed class SearchEndpointsTests
{
    private static async Task<GrapeTestServer> WithPointsAsync()
    {
        var s = await GrapeTestServer.StartAsync();
        await s.CreateCollectionAsync("c");
        (await s.PutAsync("/collections/c/points?wait=true", """
            {"points":[
              {"id":1,"vector":[1,0,0,0],"payload":{"g":"a"}},
              {"id":2,"vector":[0.9,0.1,0,0],"payload":{"g":"b"}},
              {"id":3,"vector":[0,0,1,0],"payload":{"g":"a"}},
              {"id":4,"vector":[0,0,0,1],"payload":{"g":"b"}}
            ]}
            """)).AssertOk();
        return s;
    }

    [Fact]
    public async Task Legacy_search_returns_a_bare_list_best_first()
    {
        await using var s = await WithPointsAsync();
        var hits = (await s.PostAsync("/collections/c/points/search", """{"vector":[1,0,0,0],"limit":2,"with_payload":true}""")).AssertOk().Result!.AsArray();
        Assert.Equal([1L, 2L], hits.Select(h => h!["id"]!.GetValue<long>()));
        Assert.Equal(1.0, hits[0]!["score"]!.GetValue<double>(), 1e-4);
        Assert.Equal(0.9, hits[1]!["score"]!.GetValue<double>(), 1e-4);
        Assert.Equal("a", hits[0]!["payload"]!["g"]!.GetValue<string>());
        Assert.NotNull(hits[0]!["version"]);
    }

    [Fact]
    public async Task Search_with_filter_offset_and_threshold()
    {
        await using var s = await WithPointsAsync();
        var hits = (await s.PostAsync("/collections/c/points/search", """{"vector":[1,0,0,0],"top":5,"filter":{"must":{"key":"g","match":{"value":"b"}}}}""")).AssertOk().Result!.AsArray();
        Assert.Equal([2L, 4L], hits.Select(h => h!["id"]!.GetValue<long>()));
        Assert.Null(hits[0]!["payload"]); // search defaults to no payload
        hits = (await s.PostAsync("/collections/c/points/search", """{"vector":[1,0,0,0],"limit":5,"offset":1,"score_threshold":0.5}""")).AssertOk().Result!.AsArray();
        Assert.Equal(2, Assert.Single(hits)!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Search_batch_answers_in_order()
    {
        await using var s = await WithPointsAsync();
        var r = (await s.PostAsync("/collections/c/points/search/batch", """{"searches":[{"vector":[0,0,1,0],"limit":1},{"vector":[0,0,0,1],"limit":1}]}""")).AssertOk().Result!.AsArray();
        Assert.Equal(3, r[0]![0]!["id"]!.GetValue<long>());
        Assert.Equal(4, r[1]![0]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Query_by_vector_nearest_and_by_point_id()
    {
        await using var s = await WithPointsAsync();
        var r = (await s.PostAsync("/collections/c/points/query", """{"query":[1,0,0,0],"limit":2}""")).AssertOk().Result!;
        Assert.Equal([1L, 2L], r["points"]!.AsArray().Select(h => h!["id"]!.GetValue<long>()));

        r = (await s.PostAsync("/collections/c/points/query", """{"query":{"nearest":[0,0,1,0]},"limit":1,"with_payload":true}""")).AssertOk().Result!;
        Assert.Equal(3, r["points"]![0]!["id"]!.GetValue<long>());
        Assert.Equal("a", r["points"]![0]!["payload"]!["g"]!.GetValue<string>());

        // By id: the point's own vector, the point itself left out (as Qdrant does).
        r = (await s.PostAsync("/collections/c/points/query", """{"query":1,"limit":1}""")).AssertOk().Result!;
        Assert.Equal(2, r["points"]![0]!["id"]!.GetValue<long>());

        var batch = (await s.PostAsync("/collections/c/points/query/batch", """{"searches":[{"query":[0,0,0,1],"limit":1},{"query":2,"limit":1}]}""")).AssertOk().Result!.AsArray();
        Assert.Equal(4, batch[0]!["points"]![0]!["id"]!.GetValue<long>());
        Assert.Equal(1, batch[1]!["points"]![0]!["id"]!.GetValue<long>());

        (await s.PostAsync("/collections/c/points/query", """{"query":77}""")).AssertError(HttpStatusCode.NotFound, "77");
    }

    [Theory]
    [InlineData("""{"query":{"indices":[1],"values":[1]}}""", "sparse")]
    [InlineData("""{"query":{"relevance_feedback":{}}}""", "relevance_feedback")]
    public async Task Query_forms_Grape_lacks_are_400_not_supported_never_a_fake_result(string body, string fragment)
    {
        await using var s = await WithPointsAsync();
        var r = (await s.PostAsync("/collections/c/points/query", body)).AssertError(HttpStatusCode.BadRequest, fragment);
        Assert.Contains("not supported", r.Error!, StringComparison.Ordinal);
    }
}
