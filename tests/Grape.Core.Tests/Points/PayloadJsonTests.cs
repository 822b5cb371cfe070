using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;

namespace Grape.Core.Tests.Points;

public class PayloadJsonTests
{
    [Fact]
    public void A_payload_string_that_is_no_valid_unicode_is_a_bad_request_and_stores_nothing()
    {
        using var db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });
        db.CreateCollection("c", CreateCollectionRequest.Single(2, Distance.Dot));
        db.Upsert("c", [new PointStruct(1, [1f, 2f], new JsonObject { ["a"] = "ok" })]);

        // Lone surrogates parsed from JSON escapes (a string from code is written with the encoder's replacement).
        foreach (var payload in new[] { JsonNode.Parse("""{"a":"\udc00"}""")!.AsObject(), JsonNode.Parse("""{"a":"x\ud800y"}""")!.AsObject() })
        {
            var e = Assert.Throws<BadRequestException>(() => db.Upsert("c", [new PointStruct(2, [1f, 2f], payload)]));
            Assert.Contains("invalid string in payload", e.Message);
            Assert.Throws<BadRequestException>(() => db.SetPayload("c", new JsonObject { ["b"] = payload["a"]!.DeepClone() }, PointsSelector.Ids([PointId.FromNumber(1)])));
        }
        Assert.Equal(1, db.Count("c"));
        Assert.Equal("ok", db.Get("c", [PointId.FromNumber(1)])[0].Payload!["a"]!.GetValue<string>());
    }
}
