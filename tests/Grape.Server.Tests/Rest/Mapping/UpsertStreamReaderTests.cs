using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Server.Errors;
using Grape.Server.Rest.Mapping;

namespace Grape.Server.Tests.Rest.Mapping;

/// <summary>
/// The streaming upsert reader against the document mapper it shortcuts: on valid plain bodies both give identical
/// points (ids, vector names, f32 bits, payload JSON); on everything else the endpoint's combination
/// (stream, else document) answers exactly as the document mapper alone (same exception type, status and message).
/// </summary>
public sealed class UpsertStreamReaderTests
{
    /// <summary>What the endpoint did before the streaming reader: the document, then the general mapper.</summary>
    private static object DocumentOnly(string json) => StreamReaderHarness.DocumentOnly(json, root => PointsMapper.Upsert(root, ""));

    /// <summary>What the endpoint does now.</summary>
    private static object StreamThenDocument(string json, out bool streamed) =>
        StreamReaderHarness.StreamThenDocument(json, utf8 => UpsertStreamReader.TryRead(utf8), root => PointsMapper.Upsert(root, ""), out streamed);

    private static void AssertSame(object expected, object actual, string json)
    {
        if (StreamReaderHarness.AssertSameRefusal(expected, actual, json)) return;
        var x = ((UpdateOperation.Upsert)expected).Points;
        var y = ((UpdateOperation.Upsert)actual).Points;
        Assert.Equal(x.Count, y.Count);
        for (int i = 0; i < x.Count; i++)
        {
            Assert.Equal(x[i].Id, y[i].Id);
            Assert.Equal(x[i].Vectors.Keys.Order(StringComparer.Ordinal), y[i].Vectors.Keys.Order(StringComparer.Ordinal));
            foreach (var (name, v) in x[i].Vectors)
            {
                var w = y[i].Vectors[name];
                Assert.Equal(v.VectorCount, w.VectorCount);
                Assert.Equal(v.Dense.Length, w.Dense.Length);
                for (int k = 0; k < v.Dense.Length; k++)
                {
                    if (BitConverter.SingleToInt32Bits(v.Dense[k]) != BitConverter.SingleToInt32Bits(w.Dense[k]))
                        Assert.Fail($"point {i} vector `{name}`[{k}]: {v.Dense[k]:R} by the document mapper, {w.Dense[k]:R} streamed\n{json}");
                }
            }
            Assert.True(x[i].PayloadUtf8.IsEmpty, "the document mapper builds payload objects");
            Assert.Equal(Text(x[i].Payload), y[i].PayloadUtf8.IsEmpty ? Text(y[i].Payload) : Text(JsonNode.Parse(y[i].PayloadUtf8.Span)!.AsObject()));
        }
    }

    private static string? Text(JsonObject? payload)
    {
        try { return payload?.ToJsonString(); }
        catch (InvalidOperationException e) { return "unwritable: " + e.Message; } // e.g. a lone surrogate, either way
    }

    private static void Check(string json, bool expectStreamed)
    {
        var expected = DocumentOnly(json);
        var actual = StreamThenDocument(json, out bool streamed);
        Assert.True(expectStreamed == streamed, $"streamed = {streamed}, expected {expectStreamed}: {json}");
        AssertSame(expected, actual, json);
    }

    [Theory]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":1,"b":[1,{"c":null}],"d":"é\u0041"}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":null}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":{}}]}""")]
    [InlineData("""{"points":[{"payload":{"x":1},"vector":[0.5,-0.25,1e-3],"id":18446744073709551615}]}""")]
    [InlineData("""{"points":[{"id":"550e8400-e29b-41d4-a716-446655440000","vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":"550E8400E29B41D4A716446655440000","vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":"{550e8400-e29b-41d4-a716-446655440000}","vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":{"image":[1,2,3],"text":[4,5]}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":{}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"unknown":{"deep":[1,[2]]},"other":"x"}]}""")]
    [InlineData("""{"points":[]}""")]
    [InlineData(""" { "points" : [ { "id" : 7 , "vector" : [ 1 , 2.5 , -3e2 ] } ] } """)]
    [InlineData("""{"points":[{"id":1,"vector":[3.4028234663852886e38,1.17549435e-38,1e-45,1e-46,123456789012345678901234567890]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[0.1,0.2,0.30000000000000004,1E5,1e+5,1.5E-5,100000000000000000000000]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[0,-0,-0.0,0e5,-0E-3,1,2]}]}""")]
    [InlineData("\t{\r\n\"points\" :\n[ {\"id\"\t: 1 ,\r\"vector\" : [ 1 ,\n2 ] , \"payload\" : { \"a\" : [ 1 ] } } ]\n}\n\t ")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":"\ud83d\ude00 \u00e9 \"q\" \\"}}]}""")]
    public void Valid_plain_bodies_stream_to_the_same_points(string json) => Check(json, expectStreamed: true);

    /// <summary>A payload or an ignored member is validated with the depth budget left at its place (64 in all, as the
    /// document): at the limit both accept, one deeper both refuse with the same message.</summary>
    [Theory]
    [InlineData("payload", 61, true)]
    [InlineData("payload", 62, false)]
    [InlineData("ignored", 61, true)]
    [InlineData("ignored", 62, false)]
    public void Nesting_is_limited_as_in_the_document(string member, int depth, bool valid)
    {
        string nested = string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{}" + new string('}', depth - 1);
        string json = $$"""{"points":[{"id":1,"vector":[1,2,3],"{{member}}":{{nested}}}]}""";
        var expected = DocumentOnly(json);
        Assert.Equal(valid, expected is not Exception);
        var actual = StreamThenDocument(json, out bool streamed);
        Assert.Equal(valid, streamed);
        AssertSame(expected, actual, json);
    }

    /// <summary>Forms and errors left to the document mapper: the answer (points or error) must be the same as before.</summary>
    [Theory]
    [InlineData("""{"batch":{"ids":[1,2],"vectors":[[1,2,3],[4,5,6]],"payloads":[{"a":1},null]}}""")]
    [InlineData("""{"batch":{"ids":[1,2],"vectors":[[1,2,3]]}}""")]
    [InlineData("""{"points":[{"id":1,"vectors":[1,2,3]}]}""")] // the `vectors` alias
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"vectors":[4,5,6]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[[1,2],[3,4]]}]}""")] // multivector
    [InlineData("""{"points":[{"id":1,"vector":{"m":[[1,2],[3,4]]}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[[1,2],[3]]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":{"s":{"indices":[1],"values":[0.5]}}}]}""")] // sparse
    [InlineData("""{"points":[{"id":1,"vector":{"model":"bert","text":"x"}}]}""")] // inference
    [InlineData("""{"points":[{"id":1,"vector":{"d":{"text":"x","model":"m"}}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":{"a":[1],"a":[2]}}]}""")] // repeated vector name
    [InlineData("""{"points":[{"id":1,"id":2,"vector":[1,2,3]}]}""")] // repeated key
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":1},"payload":{"b":2}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1]}],"points":[{"id":2,"vector":[2]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}],"shard_key":"a"}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}],"shard_key":null}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}],"update_filter":{"must":[]}}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}],"update_mode":"insert_only"}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}],"update_mode":"bogus"}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}],"update_mode":"upsert"}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}],"extra":1}""")]
    [InlineData("""{"pts":[]}""")]
    [InlineData("""{}""")]
    [InlineData("""[]""")]
    [InlineData("""7""")]
    [InlineData("""{"points":{}}""")]
    [InlineData("""{"points":null}""")]
    [InlineData("""{"points":[7]}""")]
    [InlineData("""{"points":[{"vector":[1,2,3]}]}""")] // missing id
    [InlineData("""{"points":[{"id":null,"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1}]}""")] // missing vector
    [InlineData("""{"points":[{"id":1,"vector":null}]}""")]
    [InlineData("""{"points":[{"id":-3,"vector":[1,2,3]}]}""")] // ids of the wrong type
    [InlineData("""{"points":[{"id":1.5,"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1e3,"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":18446744073709551616,"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":"x-y","vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":true,"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":[1],"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":{"n":1},"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[]}]}""")] // empty vector
    [InlineData("""{"points":[{"id":1,"vector":[1,"x",3]}]}""")] // non-number element
    [InlineData("""{"points":[{"id":1,"vector":[1,null,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,true,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,{},3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,[3]]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":{"a":[1,"x"]}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":{"a":7}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":"abc"}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,1e39]}]}""")] // out of range for f32
    [InlineData("""{"points":[{"id":1,"vector":[1,2,-1e39]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,1e400]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,NaN]}]}""")] // NaN is not JSON
    [InlineData("""{"points":[{"id":1,"vector":[1,2,Infinity]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":[1]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":"x"}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]},""")] // malformed JSON
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}]""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}]}}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}]} x""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3,]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]}],}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]/*c*/}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[01,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1.,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[+1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"skip":[1,}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":"\ud800"}}]}""")]
    [InlineData("""{"\u0070oints":[{"\u0069d":1,"vect\u006fr":[1,2,3]}]}""")] // escaped keys
    [InlineData("""{"points":[{"id":1,"vector":{"na\u006de":[1,2,3]}}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":{"é":[1,2,3]}}]}""")]
    [InlineData("""{"points":[{"id":"550e8400-e29b-41d4-a716-44665544000\u0030","vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":nul}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":nullx}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":1}x}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"other":tru}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"other":1x}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3e]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3e+]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,-]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,.5]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,0x10]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2 3]}]}""")]
    [InlineData("""{"points":[{"id":01,"vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1 "vector":[1,2,3]}]}""")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3]} {"id":2,"vector":[1,2,3]}]}""")]
    [InlineData("{\"points\":[{\"id\":1,\"vector\":[1,2,3]}]}\u0000")] // a NUL after the body
    [InlineData("\uFEFF{\"points\":[{\"id\":1,\"vector\":[1,2,3]}]}")] // a byte order mark
    [InlineData("{\"points\":[{\"id\":1,\"vector\":[1,2,3],\"payload\":{\"a\":\"x\ty\"}}]}")] // a raw control character in a string
    [InlineData("{\"points\":[{\"id\":1,\"vector\":[1,2,3]\f}]}")] // form feed is not JSON whitespace
    [InlineData("""{"points":[{"id":"\ud800","vector":[1,2,3]}]}""")]
    public void Other_bodies_answer_as_the_document_mapper(string json)
    {
        var expected = DocumentOnly(json);
        var actual = StreamThenDocument(json, out _);
        AssertSame(expected, actual, json);
    }

    [Fact]
    public void Errors_keep_their_messages_and_paths()
    {
        // Spot checks that the answers compared above are the Qdrant-like ones (paths named).
        Assert.Contains("points[1].vector[1]: invalid type: string \"x\", expected a number",
            Assert.IsType<RequestException>(StreamThenDocument("""{"points":[{"id":1,"vector":[1]},{"id":2,"vector":[1,"x"]}]}""", out _)).Message);
        Assert.Contains("points[0].vector[2]: number 1e39 is out of range for f32",
            Assert.IsType<RequestException>(StreamThenDocument("""{"points":[{"id":1,"vector":[1,2,1e39]}]}""", out _)).Message);
        Assert.Contains("points[0].id: invalid point id -3",
            Assert.IsType<RequestException>(StreamThenDocument("""{"points":[{"id":-3,"vector":[1,2,3]}]}""", out _)).Message);
        var malformed = Assert.IsType<RequestException>(StreamThenDocument("""{"points":[{"id":1,"vector":[1,2,NaN]}]}""", out _));
        Assert.Equal(400, malformed.StatusCode);
        Assert.StartsWith("Format error in JSON body: invalid JSON at line 1 column", malformed.Message);
    }

    [Fact]
    public void Random_valid_bodies_stream_to_the_same_points()
    {
        var rng = new Random(20260613);
        for (int round = 0; round < 300; round++)
        {
            string json = RandomBody(rng, out bool plain);
            var expected = DocumentOnly(json);
            var actual = StreamThenDocument(json, out bool streamed);
            Assert.False(expected is Exception, $"the generator wrote an invalid body: {expected}\n{json}");
            if (plain) Assert.True(streamed, json);
            AssertSame(expected, actual, json);
        }
    }

    private static string RandomBody(Random rng, out bool plain)
    {
        plain = true;
        var sb = new StringBuilder("{\"points\":[");
        int count = rng.Next(0, 6);
        int dim = rng.Next(1, 20);
        for (int p = 0; p < count; p++)
        {
            if (p > 0) sb.Append(',');
            var members = new List<string>();
            members.Add(rng.Next(3) switch
            {
                0 => $"\"id\":\"{Guid.NewGuid():D}\"",
                1 => $"\"id\":{rng.NextInt64(0, long.MaxValue)}",
                _ => $"\"id\":{rng.Next(0, 1000)}",
            });
            if (rng.Next(4) == 0)
            {
                var names = new List<string>();
                int k = rng.Next(0, 3);
                for (int j = 0; j < k; j++) names.Add($"\"v{j}\":{RandomVector(rng, rng.Next(1, 20))}");
                members.Add($"\"vector\":{{{string.Join(",", names)}}}");
            }
            else if (rng.Next(10) == 0)
            {
                plain = false; // a multivector
                members.Add($"\"vector\":[{RandomVector(rng, dim)},{RandomVector(rng, dim)}]");
            }
            else members.Add($"\"vector\":{RandomVector(rng, dim)}");
            switch (rng.Next(4))
            {
                case 0: members.Add("\"payload\":null"); break;
                case 1: members.Add($"\"payload\":{{\"i\":{rng.Next()},\"s\":\"t{rng.Next(7)}\",\"f\":{rng.NextDouble().ToString("R", CultureInfo.InvariantCulture)},\"n\":{{\"a\":[1,true,null,\"x\"]}}}}"); break;
                case 2: members.Add("\"payload\":{}"); break;
            }
            if (rng.Next(5) == 0) members.Add("\"ignored\":{\"x\":[1,2,{\"y\":\"z\"}]}");
            // Any order of members.
            for (int j = members.Count - 1; j > 0; j--)
            {
                int r = rng.Next(j + 1);
                (members[j], members[r]) = (members[r], members[j]);
            }
            sb.Append('{').Append(string.Join(rng.Next(2) == 0 ? "," : " ,\n ", members)).Append('}');
        }
        return sb.Append("]}").ToString();
    }

    private static string RandomVector(Random rng, int dim)
    {
        var parts = new string[dim];
        for (int i = 0; i < dim; i++) parts[i] = JsonScanTests.RandomNumberText(rng);
        return "[" + string.Join(",", parts) + "]";
    }
}
