using System.Globalization;
using Grape.Core.Embedded;
using Grape.Server.Rest.Mapping;

namespace Grape.Server.Tests.Rest.Mapping;

/// <summary>
/// The streaming search reader against the document mapper it shortcuts: plain bodies give identical requests, and
/// every other body is answered exactly as the document mapper alone answers it (request, or error type, status and message).
/// </summary>
public sealed class SearchStreamReaderTests
{
    /// <summary>What the endpoint did before the streaming reader: the document, then the general mapper.</summary>
    private static object DocumentOnly(string json) => StreamReaderHarness.DocumentOnly(json, root => SearchMapper.Search(root, ""));

    /// <summary>What the endpoint does now.</summary>
    private static object StreamThenDocument(string json, out bool streamed) =>
        StreamReaderHarness.StreamThenDocument(json, utf8 => SearchStreamReader.TryRead(utf8.Span), root => SearchMapper.Search(root, ""), out streamed);

    private static void AssertSame(object expected, object actual, string json)
    {
        if (StreamReaderHarness.AssertSameRefusal(expected, actual, json)) return;
        var x = (SearchRequest)expected;
        var y = (SearchRequest)actual;
        // Filters and key lists compare by reference; the streamed form never has them (it falls back instead).
        if (x.Filter is not null || x.Params is not null || x.WithPayload.Include is not null || x.WithPayload.Exclude is not null || x.WithVectors.Names is not null)
        {
            Assert.False(ReferenceEquals(x, y));
            Assert.Equal(x.ToString(), y.ToString());
            return;
        }
        Assert.Equal(x.Vector.Select(BitConverter.SingleToInt32Bits), y.Vector.Select(BitConverter.SingleToInt32Bits));
        // Everything but the vector (compared above by bits) through the record's equality.
        Assert.Equal(x with { Vector = [] }, y with { Vector = [] }, (l, r) => l.Using == r.Using && Equals(l.Filter, r.Filter) && l.Limit == r.Limit
            && l.Offset == r.Offset && l.ScoreThreshold == r.ScoreThreshold && Equals(l.Params, r.Params) && Equals(l.WithPayload, r.WithPayload)
            && Equals(l.WithVectors, r.WithVectors));
    }

    [Theory]
    [InlineData("""{"vector":[1,2,3],"limit":10}""")]
    [InlineData("""{"limit":3,"vector":[0.5,-0.25,1e-3,0,-0]}""")]
    [InlineData("""{"vector":[1,2,3],"limit":1000000}""")]
    [InlineData("""{"vector":[1,2,3],"limit":1,"with_payload":true,"with_vector":true}""")]
    [InlineData("""{"vector":[1,2,3],"limit":1,"with_payload":false,"with_vector":false}""")]
    [InlineData(" {\n\t\"vector\" : [ 1 , 2 ] ,\r\n \"limit\" : 7 } \n")]
    [InlineData("""{"vector":[3.4028234663852886e38,1e-46,123456789012345678901234567890],"limit":2}""")]
    public void Plain_bodies_stream_to_the_same_request(string json)
    {
        var expected = DocumentOnly(json);
        var actual = StreamThenDocument(json, out bool streamed);
        Assert.True(streamed, json);
        AssertSame(expected, actual, json);
    }

    [Theory]
    [InlineData("""{"vector":[1,2,3],"limit":0}""")] // limit of 0
    [InlineData("""{"vector":[1,2,3],"limit":1000001}""")] // over the maximum
    [InlineData("""{"vector":[1,2,3],"limit":100000000000000000000}""")]
    [InlineData("""{"vector":[1,2,3],"limit":-1}""")]
    [InlineData("""{"vector":[1,2,3],"limit":1.5}""")]
    [InlineData("""{"vector":[1,2,3],"limit":1e1}""")]
    [InlineData("""{"vector":[1,2,3],"limit":010}""")]
    [InlineData("""{"vector":[1,2,3],"limit":"10"}""")]
    [InlineData("""{"vector":[1,2,3],"limit":null}""")]
    [InlineData("""{"vector":[1,2,3]}""")] // missing limit
    [InlineData("""{"vector":[1,2,3],"top":5}""")]
    [InlineData("""{"limit":5}""")] // missing vector
    [InlineData("""{"vector":[],"limit":5}""")]
    [InlineData("""{"vector":[1,"x"],"limit":5}""")]
    [InlineData("""{"vector":[1,NaN],"limit":5}""")]
    [InlineData("""{"vector":[1,1e39],"limit":5}""")]
    [InlineData("""{"vector":[[1,2],[3,4]],"limit":5}""")]
    [InlineData("""{"vector":{"name":"image","vector":[1,2,3]},"limit":5}""")] // named vector
    [InlineData("""{"vector":{"name":"s","vector":{"indices":[1],"values":[1]}},"limit":5}""")] // sparse
    [InlineData("""{"vector":[1,2,3],"limit":5,"filter":{"must":[{"key":"a","match":{"value":1}}]}}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"filter":7}""")] // a filter of the wrong type
    [InlineData("""{"vector":[1,2,3],"limit":5,"params":{"hnsw_ef":64,"exact":true}}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"offset":2,"score_threshold":0.5}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"with_payload":["a"]}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"with_payload":{"exclude":["a"]}}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"with_payload":1}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"with_vectors":true}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"with_vector":["a"]}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"shard_key":"x"}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"limit":6}""")] // repeated key
    [InlineData("""{"vector":[1,2,3],"vector":[4,5,6],"limit":5}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"unknown":1}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5""")] // malformed JSON
    [InlineData("""{"vector":[1,2,3],"limit":5}}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,}""")]
    [InlineData("""{"vector":[1,2,3],"limit":5} x""")]
    [InlineData("""{"vector":[1,2,3],"limit":5,"with_payload":tru}""")]
    [InlineData("""{"\u0076ector":[1,2,3],"limit":5}""")]
    [InlineData("""{}""")]
    [InlineData("""[]""")]
    [InlineData("""7""")]
    public void Other_bodies_answer_as_the_document_mapper(string json)
    {
        var expected = DocumentOnly(json);
        var actual = StreamThenDocument(json, out _);
        AssertSame(expected, actual, json);
    }

    [Fact]
    public void Random_plain_bodies_stream_to_the_same_request()
    {
        var rng = new Random(11);
        for (int round = 0; round < 300; round++)
        {
            int dim = rng.Next(1, 200);
            var parts = new List<string>
            {
                "\"vector\":[" + string.Join(",", Enumerable.Range(0, dim).Select(_ => ((rng.NextSingle() * 2 - 1) * MathF.Pow(10, rng.Next(-8, 8))).ToString(rng.Next(2) == 0 ? "R" : "E9", CultureInfo.InvariantCulture))) + "]",
                $"\"limit\":{rng.Next(1, 500)}",
            };
            if (rng.Next(2) == 0) parts.Add($"\"with_payload\":{(rng.Next(2) == 0 ? "true" : "false")}");
            if (rng.Next(2) == 0) parts.Add($"\"with_vector\":{(rng.Next(2) == 0 ? "true" : "false")}");
            string json = "{" + string.Join(",", parts.OrderBy(_ => rng.Next())) + "}";
            var expected = DocumentOnly(json);
            Assert.False(expected is Exception, json);
            var actual = StreamThenDocument(json, out bool streamed);
            Assert.True(streamed, json);
            AssertSame(expected, actual, json);
        }
    }
}
