using System.Net;
using System.Text;

namespace Grape.Server.Tests.Rest;

/// <summary>Each bad request gets a 4xx naming the problem, and the stored data is exactly as before.</summary>
public sealed class BadInputTests
{
    private const string Snapshot = """{"ids":[1,2],"with_payload":true,"with_vector":true}""";

    private static async Task<GrapeTestServer> SeededAsync(Func<Grape.Server.Hosting.ServerSettings, Grape.Server.Hosting.ServerSettings>? configure = null)
    {
        var s = await GrapeTestServer.StartAsync(configure);
        await s.CreateCollectionAsync("c", size: 3);
        (await s.PutAsync("/collections/c/points?wait=true", """{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":1}},{"id":2,"vector":[3,2,1],"payload":{"a":2}}]}""")).AssertOk();
        return s;
    }

    private static async Task<string> StateAsync(GrapeTestServer s) =>
        (await s.PostAsync("/collections/c/points", Snapshot)).AssertOk().Result!.ToJsonString() + (await s.CountAsync("c"));

    public static TheoryData<string, string, string, int, string> Cases => new()
    {
        { "PUT", "/collections/c/points", """{"points":[{"id":3,"vector":[1,2]}]}""", 400, "dim" },                       // wrong vector size
        { "PUT", "/collections/c/points", """{"points":[{"id":3,"vector":[1,2,NaN]}]}""", 400, "Format error" },          // NaN is not JSON
        { "PUT", "/collections/c/points", """{"points":[{"id":3,"vector":[1,2,1e39]}]}""", 400, "out of range for f32" },  // overflows to infinity
        { "PUT", "/collections/c/points", """{"points":[{"id":3,"vector":[1,"x",3]}]}""", 400, "vector[1]: invalid type: string" }, // element path in the message
        { "PUT", "/collections/c/points", """{"points":[{"id":-3,"vector":[1,2,3]}]}""", 400, "invalid point id" },
        { "PUT", "/collections/c/points", """{"points":[{"id":"x-y","vector":[1,2,3]}]}""", 400, "invalid point id" },
        { "PUT", "/collections/c/points", """{"points":[{"id":1,"vector":[1,2,3],"payload":[1]}]}""", 400, "payload" },
        { "PUT", "/collections/c/points", """{"points":[{"id":1,"vector":[1,2,3]},""", 400, "Format error" },          // malformed JSON
        { "PUT", "/collections/c/points", """{"pts":[]}""", 400, "PointInsertOperations" },
        { "PUT", "/collections/c/points", """{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":"\ud800"}}]}""", 400, "invalid string in payload" }, // lone surrogate
        { "PUT", "/collections/c/points/payload", """{"points":[1],"payload":{"b":"x\udc00"}}""", 400, "invalid string in payload" },
        { "PUT", "/collections/c/points", """{"batch":{"ids":[1,2],"vectors":[[1,2,3]]}}""", 400, "does not match" },
        { "PUT", "/collections/c/points?wait=perhaps", """{"points":[{"id":1,"vector":[9,9,9]}]}""", 400, "wait" },
        { "PUT", "/collections/c/points?timeout=0", """{"points":[{"id":1,"vector":[9,9,9]}]}""", 422, "timeout" },
        { "PUT", "/collections/c/points", """{"points":[{"id":1,"vector":{"nope":[1,2,3]}}]}""", 400, "nope" },              // unknown vector name
        { "POST", "/collections/c/points/search", """{"vector":[1,2,3],"limit":0}""", 422, "limit" },
        { "POST", "/collections/c/points/search", """{"vector":[1,2,3],"limit":100000000}""", 422, "limit" },
        { "POST", "/collections/c/points/search", """{"vector":[1,2,3]}""", 400, "missing field `limit`" },
        { "POST", "/collections/c/points/search", """{"vector":[1,2],"limit":3}""", 400, "dim" },
        { "POST", "/collections/c/points/scroll", """{"filter":{"must":[{"key":"a","match":{"value":[1]}}]}}""", 400, "filter.must[0].match.value" },
        { "POST", "/collections/c/points/scroll", """{"filter":{"must":"a"}}""", 400, "filter.must" },
        { "POST", "/collections/c/points/scroll", """{"filter":{"mustt":[]}}""", 400, "unknown field `mustt`" },
        { "POST", "/collections/c/points/scroll", """{"limit":0}""", 422, "limit" },
        { "POST", "/collections/c/points/count", """{"filter":7}""", 400, "filter" },
        { "POST", "/collections/c/points/delete", """{"filter":{"must":[{"key":"a"}]}}""", 422, "field condition" },
        { "POST", "/collections/c/points/delete", """{}""", 400, "PointsSelector" },
        { "POST", "/collections/c/points/payload", """{"payload":5,"points":[1]}""", 400, "payload" },
        { "POST", "/collections/c/points/batch", """{"operations":[{"upsert":{"points":[{"id":9,"vector":[1,1,1]}]}},{"frobnicate":{}}]}""", 400, "frobnicate" },
        { "POST", "/collections/c/points/batch", """{"operations":[{"upsert":{"points":[{"id":9,"vector":[1,1,1]}]}},{"upsert":{"points":[{"id":10,"vector":[1]}]}}]}""", 400, "dim" },
        { "PUT", "/collections/c%3Ax", """{"vectors":{"size":3,"distance":"Dot"}}""", 422, "collection name" },
        { "PUT", "/collections/c", """{"vectors":{"size":3,"distance":"Dot"}}""", 409, "already exists" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_is_4xx_and_changes_nothing(string method, string path, string body, int status, string fragment)
    {
        await using var s = await SeededAsync();
        string before = await StateAsync(s);
        var r = await s.SendAsync(new HttpMethod(method), path, body);
        r.AssertError((HttpStatusCode)status, fragment);
        Assert.Equal(before, await StateAsync(s));
    }

    [Fact]
    public async Task A_body_over_max_request_size_is_413_and_changes_nothing()
    {
        await using var s = await SeededAsync(c => c with { MaxRequestSizeMb = 1 });
        string before = await StateAsync(s);
        var sb = new StringBuilder("""{"points":[""");
        for (int i = 0; sb.Length < 1_200_000; i++) sb.Append(i == 0 ? "" : ",").Append("{\"id\":").Append(100 + i).Append(",\"vector\":[1.0,2.0,3.0]}");
        sb.Append("]}");
        (await s.PutAsync("/collections/c/points?wait=true", sb.ToString())).AssertError(HttpStatusCode.RequestEntityTooLarge, "larger than allowed");
        Assert.Equal(before, await StateAsync(s));
    }
}
