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

    /// <summary>
    /// Payload text (<see cref="PointStruct.PayloadUtf8"/>) is stored as exactly the bytes the object it describes
    /// would be: compact ASCII text as it is, anything else (whitespace, escapes, non-ASCII, characters the writer
    /// escapes, duplicate keys, nesting, numbers in every form) through the object.
    /// </summary>
    [Fact]
    public void Payload_text_is_stored_as_its_object_would_be()
    {
        var rng = new Random(5);
        string[] keys = ["a", "tag", "caf\\u00e9", "é", "x<y", "n\\\"q", "a b", "", "k\\/"];
        string[] values = ["1", "-0.5e+3", "12345678901234567890", "true", "false", "null", "\"t3\"", "\"\\u00e9\"", "\"日本\"", "\"a&b\"",
            "\"x\\ny\"", "\"it's\"", "[]", "{}", "[1,\"2\",[3]]", "{\"in\":{\"deep\":[null]}}", "\" sp aced \""];
        int copied = 0;
        for (int round = 0; round < 5_000; round++)
        {
            var sb = new System.Text.StringBuilder("{");
            int n = rng.Next(0, 6);
            for (int k = 0; k < n; k++)
            {
                if (k > 0) sb.Append(rng.Next(8) == 0 ? " , " : ",");
                sb.Append('"').Append(keys[rng.Next(keys.Length)]).Append('"').Append(rng.Next(8) == 0 ? " : " : ":").Append(values[rng.Next(values.Length)]);
            }
            sb.Append(rng.Next(10) == 0 ? " }" : "}");
            string text = sb.ToString();
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(text);
            byte[] expected = PayloadJson.ToUtf8(JsonNode.Parse(utf8)!.AsObject());
            byte[] stored = PayloadJson.FromText(utf8);
            Assert.True(expected.AsSpan().SequenceEqual(stored), $"{text}: stored {System.Text.Encoding.UTF8.GetString(stored)}, expected {System.Text.Encoding.UTF8.GetString(expected)}");
            if (stored.AsSpan().SequenceEqual(utf8)) copied++;
        }
        Assert.True(copied is > 200 and < 4_000, $"{copied} of 5,000 texts were already in the stored form");
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("1")]
    [InlineData("null")]
    [InlineData("{\"a\":1")]
    [InlineData("{\"a\":1}{}")]
    [InlineData("{\"a\":1} x")]
    [InlineData("{\"a\":NaN}")]
    [InlineData("{'a':1}")]
    [InlineData("{]")]
    [InlineData("{}x")]
    [InlineData("{\"a\":[1,}")]
    [InlineData("{\"a\":\"\\ud800\"}")]
    public void Payload_text_that_is_no_object_is_a_bad_request_and_stores_nothing(string text)
    {
        using var db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });
        db.CreateCollection("c", CreateCollectionRequest.Single(2, Distance.Dot));
        db.Upsert("c", [new PointStruct(1, [1f, 2f]) { PayloadUtf8 = """{"a": "ok"}"""u8.ToArray() }]);
        Assert.Throws<BadRequestException>(() => db.Upsert("c", [new PointStruct(2, [1f, 2f]) { PayloadUtf8 = System.Text.Encoding.UTF8.GetBytes(text) }]));
        Assert.Throws<BadRequestException>(() => db.Upsert("c", [new PointStruct(3, [1f, 2f], new JsonObject { ["b"] = 1 }) { PayloadUtf8 = """{"a":1}"""u8.ToArray() }]));
        Assert.Equal(1, db.Count("c"));
        var record = db.Get("c", [PointId.FromNumber(1)])[0];
        Assert.Equal("""{"a":"ok"}""", record.Payload!.ToJsonString());
    }

    /// <summary>A key given twice in payload JSON keeps its first place and its last value (Qdrant's maps), at every
    /// depth, whether the payload comes as text or as an object parsed from it; reading it back works.</summary>
    [Fact]
    public void A_key_given_twice_keeps_its_last_value()
    {
        const string Text = """{"a":1,"b":{"x":[1],"y":2,"x":{"z":3,"z":4}},"a":"last","c":[{"k":1,"k":2}]}""";
        const string Expected = """{"a":"last","b":{"x":{"z":4},"y":2},"c":[{"k":2}]}""";
        Assert.Equal(Expected, System.Text.Encoding.UTF8.GetString(PayloadJson.FromText(System.Text.Encoding.UTF8.GetBytes(Text))));
        Assert.Equal(Expected, System.Text.Encoding.UTF8.GetString(PayloadJson.ToUtf8(JsonNode.Parse(Text)!.AsObject())));
        Assert.Equal(Expected, System.Text.Encoding.UTF8.GetString(PayloadJson.FromText(System.Text.Encoding.UTF8.GetBytes(Text.Replace(",", ", ")))));

        using var db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });
        db.CreateCollection("c", CreateCollectionRequest.Single(2, Distance.Dot));
        db.Upsert("c", [new PointStruct(1, [1f, 2f]) { PayloadUtf8 = System.Text.Encoding.UTF8.GetBytes(Text) }, new PointStruct(2, [1f, 2f], JsonNode.Parse(Text)!.AsObject())]);
        foreach (var record in db.Get("c", [PointId.FromNumber(1), PointId.FromNumber(2)]))
            Assert.Equal(Expected, record.Payload!.ToJsonString());
    }

    /// <summary>Objects with more keys than the byte-wise check compares (64 open at once) are checked exactly too.</summary>
    [Fact]
    public void Large_objects_are_checked_for_a_key_given_twice()
    {
        var keys = Enumerable.Range(0, 100).Select(k => $"\"k{k}\":{k}").ToList();
        string plain = "{" + string.Join(",", keys) + "}";
        Assert.Equal(plain, System.Text.Encoding.UTF8.GetString(PayloadJson.FromText(System.Text.Encoding.UTF8.GetBytes(plain))));
        string twice = "{" + string.Join(",", keys) + ",\"k3\":\"again\"}";
        string expected = plain.Replace("\"k3\":3", "\"k3\":\"again\"");
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(PayloadJson.FromText(System.Text.Encoding.UTF8.GetBytes(twice))));
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(PayloadJson.ToUtf8(JsonNode.Parse(twice)!.AsObject())));
    }
}
