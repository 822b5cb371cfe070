using System.Net;

namespace Grape.Server.Tests.Rest.Endpoints;

/// <summary>Vector datatypes over REST: <c>datatype</c> in and out of VectorParams, values stored rounded and returned as
/// floats, searches scored on the stored type, bad values refused.</summary>
public sealed class VectorDatatypeEndpointsTests
{
    [Fact]
    public async Task Datatype_round_trips_and_values_come_back_rounded()
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync("/collections/d", """
            {"vectors":{"h":{"size":3,"distance":"Euclid","datatype":"float16"},"b":{"size":3,"distance":"Dot","datatype":"uint8"},
                        "f":{"size":3,"distance":"Dot","datatype":"float32"},"n":{"size":3,"distance":"Dot"}}}
            """)).AssertOk();
        var vectors = (await s.GetAsync("/collections/d")).AssertOk().Result!["config"]!["params"]!["vectors"]!;
        Assert.Equal("float16", vectors["h"]!["datatype"]!.GetValue<string>());
        Assert.Equal("uint8", vectors["b"]!["datatype"]!.GetValue<string>());
        Assert.Equal("float32", vectors["f"]!["datatype"]!.GetValue<string>());
        Assert.Null(vectors["n"]!["datatype"]); // not given: not reported, as Qdrant

        (await s.PutAsync("/collections/d/points?wait=true", """
            {"points":[{"id":1,"vector":{"h":[0.1,1000.7,-3],"b":[3.7,300,-2],"f":[1,2,3],"n":[1,2,3]}},
                       {"id":2,"vector":{"h":[0,0,0],"b":[1,1,1],"f":[0,0,0],"n":[0,0,0]}}]}
            """)).AssertOk();
        var p = (await s.PostAsync("/collections/d/points", """{"ids":[1],"with_vector":true}""")).AssertOk().Result![0]!["vector"]!;
        // Nearest halves: 0.1 → 0.0999755859375, 1000.7 → 1000.5 (halves are 0.5 apart there); printed as the float they are.
        Assert.Equal([(float)(Half)0.1f, 1000.5f, -3f], p["h"]!.AsArray().Select(x => x!.GetValue<float>()));
        Assert.Equal("[3,255,0]", p["b"]!.ToJsonString()); // Rust's `as u8`: truncated, saturated

        // uint8 Dot with a query converted to bytes too: (1.9, 1, 0) → (1, 1, 0); point 1 → 3 + 255 = 258, point 2 → 2.
        var hits = (await s.PostAsync("/collections/d/points/search", """{"vector":{"name":"b","vector":[1.9,1,-5]},"limit":2}""")).AssertOk().Result!.AsArray();
        Assert.Equal([1L, 2L], hits.Select(h => h!["id"]!.GetValue<long>()));
        Assert.Equal(258.0, hits[0]!["score"]!.GetValue<double>(), 1e-6);
        // float16 Euclid from the origin to point 1's stored values.
        var eu = (await s.PostAsync("/collections/d/points/query", """{"query":[0,0,0],"using":"h","limit":1,"params":{"exact":true}}""")).AssertOk().Result!["points"]![0]!;
        Assert.Equal(2L, eu["id"]!.GetValue<long>());
        Assert.Equal(0.0, eu["score"]!.GetValue<double>(), 1e-6);
    }

    [Fact]
    public async Task Updating_vector_params_keeps_the_datatype()
    {
        // VectorParamsDiff has no datatype: Qdrant ignores the key and the column keeps its type.
        await using var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync("/collections/d", """{"vectors":{"size":2,"distance":"Dot","datatype":"uint8"}}""")).AssertOk();
        (await s.PatchAsync("/collections/d", """{"vectors":{"":{"datatype":"float32","on_disk":true}}}""")).AssertOk();
        var v = (await s.GetAsync("/collections/d")).AssertOk().Result!["config"]!["params"]!["vectors"]!;
        Assert.Equal("uint8", v["datatype"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"vectors":{"size":2,"distance":"Dot","datatype":"int4"}}""", "unknown variant `int4`")]
    [InlineData("""{"vectors":{"size":2,"distance":"Dot","datatype":7}}""", "datatype")]
    [InlineData("""{"vectors":{"size":2,"distance":"Dot","datatype":"turbo4"}}""", "not supported")]
    public async Task Bad_datatypes_are_refused(string body, string fragment)
    {
        await using var s = await GrapeTestServer.StartAsync();
        var r = await s.PutAsync("/collections/d", body);
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains(fragment, r.Error!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync("/collections/d")).Status);
    }

    [Fact]
    public async Task Float16_values_beyond_its_range_are_refused_and_nothing_is_written()
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync("/collections/d", """{"vectors":{"size":2,"distance":"Dot","datatype":"float16"}}""")).AssertOk();
        var r = await s.PutAsync("/collections/d/points?wait=true", """{"points":[{"id":1,"vector":[1,70000]}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, r.Status);
        Assert.Contains("float16", r.Error!, StringComparison.Ordinal);
        Assert.Equal(0, (await s.PostAsync("/collections/d/points/count", "{}")).AssertOk().Result!["count"]!.GetValue<long>());
    }
}
