using System.Net;

namespace Grape.Server.Tests.Rest.Endpoints;

public sealed class PointsEndpointsTests
{
    private const string Uuid = "550e8400-e29b-41d4-a716-446655440000";

    private static async Task<GrapeTestServer> WithPointsAsync()
    {
        var s = await GrapeTestServer.StartAsync();
        await s.CreateCollectionAsync("c");
        var r = (await s.PutAsync("/collections/c/points?wait=true", $$$"""
            {"points":[
              {"id":1,"vector":[1,0,0,0],"payload":{"color":"red","n":1}},
              {"id":2,"vector":[0,1,0,0],"payload":{"color":"blue","n":2}},
              {"id":3,"vector":[0,0,1,0],"payload":{"color":"red","n":3}},
              {"id":"{{{Uuid}}}","vector":[0,0,0,1],"payload":{"color":"green","n":4}}
            ]}
            """)).AssertOk();
        Assert.Equal("completed", r.Result!["status"]!.GetValue<string>());
        Assert.NotNull(r.Result!["operation_id"]);
        return s;
    }

    [Fact]
    public async Task Upsert_then_get_one_and_many()
    {
        await using var s = await WithPointsAsync();
        Assert.Equal(4, await s.CountAsync("c"));
        var one = (await s.GetAsync("/collections/c/points/2")).AssertOk().Result!;
        Assert.Equal(2, one["id"]!.GetValue<long>());
        Assert.Equal("blue", one["payload"]!["color"]!.GetValue<string>());
        Assert.Equal(1f, one["vector"]![1]!.GetValue<float>());

        var uuid = (await s.GetAsync($"/collections/c/points/{Uuid.ToUpperInvariant()}")).AssertOk().Result!;
        Assert.Equal(Uuid, uuid["id"]!.GetValue<string>());

        var many = (await s.PostAsync("/collections/c/points", """{"ids":[3,1,99],"with_payload":["n"]}""")).AssertOk().Result!.AsArray();
        Assert.Equal(2, many.Count);
        Assert.All(many, p => Assert.Null(p!["vector"]));
        Assert.All(many, p => Assert.Null(p!["payload"]!["color"]));
        Assert.Contains(many, p => p!["id"]!.GetValue<long>() == 3 && p["payload"]!["n"]!.GetValue<int>() == 3);

        (await s.GetAsync("/collections/c/points/99")).AssertError(HttpStatusCode.NotFound, "No point with id 99 found");
        (await s.GetAsync("/collections/c/points/abc")).AssertError(HttpStatusCode.BadRequest, "abc");
    }

    /// <summary>A payload key given twice keeps its last value (Qdrant's maps), through the streaming reader (plain
    /// body), the document mapper (batch form) and set_payload; it was a 500 before.</summary>
    [Fact]
    public async Task A_payload_key_given_twice_keeps_its_last_value()
    {
        await using var s = await GrapeTestServer.StartAsync();
        await s.CreateCollectionAsync("c");
        (await s.PutAsync("/collections/c/points?wait=true", """{"points":[{"id":1,"vector":[1,0,0,0],"payload":{"a":1,"b":{"x":1,"x":2},"a":"last"}}]}""")).AssertOk();
        (await s.PutAsync("/collections/c/points?wait=true", """{"batch":{"ids":[2],"vectors":[[0,1,0,0]],"payloads":[{"a":1,"a":2}]}}""")).AssertOk();
        (await s.PostAsync("/collections/c/points/payload?wait=true", """{"payload":{"k":1,"k":3},"points":[2]}""")).AssertOk();
        var one = (await s.GetAsync("/collections/c/points/1")).AssertOk().Result!["payload"]!;
        Assert.Equal("""{"a":"last","b":{"x":2}}""", one.ToJsonString());
        var two = (await s.GetAsync("/collections/c/points/2")).AssertOk().Result!["payload"]!;
        Assert.Equal("""{"a":2,"k":3}""", two.ToJsonString());
    }

    [Fact]
    public async Task Batch_form_with_named_vectors()
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync("/collections/n", """{"vectors":{"a":{"size":2,"distance":"Dot"},"b":{"size":3,"distance":"Dot"}}}""")).AssertOk();
        (await s.PutAsync("/collections/n/points?wait=true", """
            {"batch":{"ids":[10,11],"vectors":{"a":[[1,0],[0,1]],"b":[[1,0,0],[0,1,0]]},"payloads":[{"k":1},null]}}
            """)).AssertOk();
        var p = (await s.PostAsync("/collections/n/points", """{"ids":[10,11],"with_vector":true}""")).AssertOk().Result!.AsArray();
        var ten = p.Single(x => x!["id"]!.GetValue<long>() == 10)!;
        Assert.Equal(1f, ten["vector"]!["a"]![0]!.GetValue<float>());
        Assert.Equal(3, ten["vector"]!["b"]!.AsArray().Count);
        Assert.Equal(1, ten["payload"]!["k"]!.GetValue<int>());

        var hits = (await s.PostAsync("/collections/n/points/search", """{"vector":{"name":"b","vector":[0,1,0]},"limit":1}""")).AssertOk().Result!.AsArray();
        Assert.Equal(11, Assert.Single(hits)!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Delete_by_ids_and_by_filter()
    {
        await using var s = await WithPointsAsync();
        (await s.PostAsync("/collections/c/points/delete?wait=true", """{"points":[1]}""")).AssertOk();
        Assert.Equal(3, await s.CountAsync("c"));
        (await s.PostAsync("/collections/c/points/delete?wait=true", """{"filter":{"must":[{"key":"color","match":{"value":"red"}}]}}""")).AssertOk();
        Assert.Equal(2, await s.CountAsync("c"));
    }

    [Fact]
    public async Task Payload_set_overwrite_delete_clear()
    {
        await using var s = await WithPointsAsync();
        (await s.PostAsync("/collections/c/points/payload?wait=true", """{"payload":{"extra":true},"points":[1,2]}""")).AssertOk();
        var p1 = (await s.GetAsync("/collections/c/points/1")).AssertOk().Result!["payload"]!;
        Assert.True(p1["extra"]!.GetValue<bool>());
        Assert.Equal("red", p1["color"]!.GetValue<string>());

        (await s.PutAsync("/collections/c/points/payload?wait=true", """{"payload":{"only":1},"filter":{"must":{"key":"n","range":{"lte":1}}}}""")).AssertOk();
        p1 = (await s.GetAsync("/collections/c/points/1")).AssertOk().Result!["payload"]!;
        Assert.Equal("""{"only":1}""", p1.ToJsonString());

        (await s.PostAsync("/collections/c/points/payload/delete?wait=true", """{"keys":["color"],"points":[2]}""")).AssertOk();
        var p2 = (await s.GetAsync("/collections/c/points/2")).AssertOk().Result!["payload"]!;
        Assert.Null(p2["color"]);
        Assert.True(p2["extra"]!.GetValue<bool>());

        (await s.PostAsync("/collections/c/points/payload/clear?wait=true", """{"points":[3]}""")).AssertOk();
        Assert.Empty((await s.GetAsync("/collections/c/points/3")).AssertOk().Result!["payload"]!.AsObject());

        (await s.PostAsync("/collections/c/points/payload", """{"payload":{"x":1}}""")).AssertError(HttpStatusCode.UnprocessableEntity, "points");
    }

    [Fact]
    public async Task Vectors_update_and_delete()
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync("/collections/n", """{"vectors":{"a":{"size":2,"distance":"Dot"},"b":{"size":2,"distance":"Dot"}}}""")).AssertOk();
        (await s.PutAsync("/collections/n/points?wait=true", """{"points":[{"id":1,"vector":{"a":[1,0],"b":[0,1]}}]}""")).AssertOk();
        (await s.PutAsync("/collections/n/points/vectors?wait=true", """{"points":[{"id":1,"vector":{"a":[0.5,0.5]}}]}""")).AssertOk();
        var v = (await s.GetAsync("/collections/n/points/1")).AssertOk().Result!["vector"]!;
        Assert.Equal(0.5f, v["a"]![0]!.GetValue<float>());
        Assert.Equal(1f, v["b"]![1]!.GetValue<float>());
        (await s.PostAsync("/collections/n/points/vectors/delete?wait=true", """{"points":[1],"vector":["b"]}""")).AssertOk();
        v = (await s.GetAsync("/collections/n/points/1")).AssertOk().Result!["vector"]!;
        Assert.Null(v["b"]);
        Assert.NotNull(v["a"]);
    }

    [Fact]
    public async Task Batch_update_returns_one_result_per_operation()
    {
        await using var s = await WithPointsAsync();
        var r = (await s.PostAsync("/collections/c/points/batch?wait=true", """
            {"operations":[
              {"upsert":{"points":[{"id":5,"vector":[1,1,0,0]}]}},
              {"set_payload":{"payload":{"b":1},"points":[5]}},
              {"delete":{"points":[2]}}
            ]}
            """)).AssertOk().Result!.AsArray();
        Assert.Equal(3, r.Count);
        Assert.All(r, x => Assert.Equal("completed", x!["status"]!.GetValue<string>()));
        Assert.Equal(4, await s.CountAsync("c"));
        Assert.Equal(1, (await s.GetAsync("/collections/c/points/5")).AssertOk().Result!["payload"]!["b"]!.GetValue<int>());
    }

    [Fact]
    public async Task Scroll_pages_through_in_id_order_with_next_page_offset()
    {
        await using var s = await WithPointsAsync();
        var page = (await s.PostAsync("/collections/c/points/scroll", """{"limit":2}""")).AssertOk().Result!;
        Assert.Equal([1L, 2L], page["points"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()));
        Assert.Equal(3, page["next_page_offset"]!.GetValue<long>());
        page = (await s.PostAsync("/collections/c/points/scroll", """{"limit":2,"offset":3}""")).AssertOk().Result!;
        Assert.Equal(2, page["points"]!.AsArray().Count);
        Assert.Equal(Uuid, page["points"]![1]!["id"]!.GetValue<string>());
        Assert.True(page.AsObject().ContainsKey("next_page_offset"));
        Assert.Null(page["next_page_offset"]);

        var red = (await s.PostAsync("/collections/c/points/scroll", """{"filter":{"must":[{"key":"color","match":{"value":"red"}}]},"with_payload":false}""")).AssertOk().Result!;
        Assert.Equal([1L, 3L], red["points"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()));
        Assert.Null(red["points"]![0]!["payload"]);
    }

    [Fact]
    public async Task Count_with_filter()
    {
        await using var s = await WithPointsAsync();
        var r = (await s.PostAsync("/collections/c/points/count", """{"filter":{"should":[{"key":"n","range":{"gte":3}},{"has_id":[1]}]}}""")).AssertOk();
        Assert.Equal(3, r.Result!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Writes_to_a_missing_collection_are_404()
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync("/collections/nope/points", """{"points":[{"id":1,"vector":[1]}]}""")).AssertError(HttpStatusCode.NotFound, "Collection `nope` doesn't exist!");
    }
}
