using System.Text;
using System.Text.Json.Nodes;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Core.Points;
using Grape.Core.Tests.Filtering.Conditions;

namespace Grape.Core.Tests.Indexing.Payload;

/// <summary>Each index type against the evaluator: an answer holds every point the condition matches, and exactly those when it says it is exact.</summary>
public class FieldIndexTests
{
    private static (FieldIndex Index, List<string> Payloads) Build(string key, PayloadFieldSchema schema, IEnumerable<string> payloads)
    {
        var index = FieldIndexFactory.Create(key, schema);
        var list = payloads.ToList();
        for (int i = 0; i < list.Count; i++) index.Add((uint)i, Encoding.UTF8.GetBytes(list[i]));
        return (index, list);
    }

    private static void Check(FieldIndex index, List<string> payloads, FieldCondition condition, Func<string, TextTokenizer?>? text = null)
    {
        var hits = index.Query(condition);
        Assert.NotNull(hits);
        var answered = hits!.Parts.SelectMany(p => p).ToHashSet();
        var evaluator = FilterEvaluator.Compile(Filter.MustAll(condition), text);
        var matching = Enumerable.Range(0, payloads.Count).Where(i => evaluator.Matches(new TestPoint((ulong)i, payloads[i]))).Select(i => (uint)i).ToHashSet();
        Assert.True(matching.IsSubsetOf(answered), $"missed {string.Join(",", matching.Except(answered))} for {condition}");
        if (hits.Exact) Assert.Equal(matching.Order(), answered.Order());
    }

    private static readonly string[] Mixed =
    [
        """{"v":"a"}""", """{"v":["a","b"]}""", """{"v":[["a"]]}""", """{"v":1}""", """{"v":1.0}""", """{"v":1.5}""", """{"v":[1,2,3]}""",
        """{"v":null}""", """{"v":[]}""", """{}""", """{"v":true}""", """{"v":[false,true]}""", """{"v":{"a":1}}""", """{"v":"2024-01-01T00:00:00Z"}""",
        """{"v":"2024-01-02"}""", """{"v":"5c56c793-69f3-4fbf-87e6-c4bf54c28c26"}""", """{"v":"5C56C793-69F3-4FBF-87E6-C4BF54C28C26"}""",
        """{"v":-7}""", """{"v":9007199254740993}""", """{"v":"b"}""", """{"w":"a"}""",
    ];

    [Fact]
    public void Keyword_index_answers_value_and_any_exactly()
    {
        var (index, payloads) = Build("v", PayloadSchemaType.Keyword, Mixed);
        Check(index, payloads, new FieldCondition("v") { Match = new MatchValue("a") });
        Check(index, payloads, new FieldCondition("v") { Match = new MatchAny(["a", "b", "zz"]) });
        Check(index, payloads, new FieldCondition("v") { Match = new MatchAny([]) });
        Assert.Null(index.Query(new FieldCondition("v") { Match = new MatchExcept(["a"]) }));
        Assert.Null(index.Query(new FieldCondition("v") { Match = new MatchValue(1L) }));
        Assert.True(index.Query(new FieldCondition("v") { Match = new MatchValue("a") })!.Exact);
    }

    [Fact]
    public void Keyword_index_with_prefix_answers_match_prefix_exactly()
    {
        string[] cities = [.. Mixed, """{"v":"Berlin"}""", """{"v":["Bern","x"]}""", """{"v":"berlin"}""", """{"v":"Be"}""", """{"v":"café"}"""];
        var withPrefix = PayloadFieldSchema.WithParams(PayloadSchemaType.Keyword, new PayloadIndexParams { Prefix = true });
        var (index, payloads) = Build("v", withPrefix, cities);
        Check(index, payloads, new FieldCondition("v") { Match = new MatchPrefix("Ber") });
        Check(index, payloads, new FieldCondition("v") { Match = new MatchPrefix("caf") });
        Check(index, payloads, new FieldCondition("v") { Match = new MatchPrefix("") });
        Check(index, payloads, new FieldCondition("v") { Match = new MatchPrefix("zzz") });
        Assert.True(index.Query(new FieldCondition("v") { Match = new MatchPrefix("Ber") })!.Exact);
        // Without the prefix option the index does not serve it (checked per point, as Qdrant does).
        Assert.Null(Build("v", PayloadSchemaType.Keyword, cities).Index.Query(new FieldCondition("v") { Match = new MatchPrefix("Ber") }));
    }

    [Fact]
    public void Integer_index_answers_lookups_exactly_and_ranges_over_every_number()
    {
        var (index, payloads) = Build("v", PayloadSchemaType.Integer, Mixed);
        Check(index, payloads, new FieldCondition("v") { Match = new MatchValue(1L) });
        Check(index, payloads, new FieldCondition("v") { Match = new MatchAny([1L, 3L, -7L]) });
        Check(index, payloads, new FieldCondition("v") { Range = new Grape.Core.Filtering.Model.Range { Gte = 1, Lt = 2 } });
        Check(index, payloads, new FieldCondition("v") { Range = new Grape.Core.Filtering.Model.Range { Gt = 1 } });
        Check(index, payloads, new FieldCondition("v") { Range = new Grape.Core.Filtering.Model.Range { Lte = -7 } });
        var noLookup = Build("v", PayloadFieldSchema.WithParams(PayloadSchemaType.Integer, new PayloadIndexParams { Lookup = false }), Mixed).Index;
        Assert.Null(noLookup.Query(new FieldCondition("v") { Match = new MatchValue(1L) }));
        Assert.NotNull(noLookup.Query(new FieldCondition("v") { Range = new Grape.Core.Filtering.Model.Range { Gte = 1 } }));
    }

    [Fact]
    public void Float_bool_datetime_and_uuid_indexes_hold_every_match()
    {
        var (f, p1) = Build("v", PayloadSchemaType.Float, Mixed);
        Check(f, p1, new FieldCondition("v") { Range = new Grape.Core.Filtering.Model.Range { Gt = 1, Lte = 3 } });
        var (b, p2) = Build("v", PayloadSchemaType.Bool, Mixed);
        Check(b, p2, new FieldCondition("v") { Match = new MatchValue(true) });
        Check(b, p2, new FieldCondition("v") { Match = new MatchValue(false) });
        var (d, p3) = Build("v", PayloadSchemaType.Datetime, Mixed);
        Check(d, p3, new FieldCondition("v") { DatetimeRange = new DatetimeRange { Gte = DateTimeOffset.Parse("2024-01-01T00:00:00Z"), Lt = DateTimeOffset.Parse("2024-01-02T00:00:00Z") } });
        Check(d, p3, new FieldCondition("v") { DatetimeRange = new DatetimeRange { Gt = DateTimeOffset.Parse("2024-01-01T00:00:00Z") } });
        var (u, p4) = Build("v", PayloadSchemaType.Uuid, Mixed);
        Check(u, p4, new FieldCondition("v") { Match = new MatchValue("5c56c793-69f3-4fbf-87e6-c4bf54c28c26") });
        Assert.Null(u.Query(new FieldCondition("v") { Match = new MatchValue("not-a-uuid") }));
    }

    [Fact]
    public void Geo_index_candidates_hold_every_point_in_boxes_circles_and_polygons_also_across_the_antimeridian_and_poles()
    {
        var rnd = new Random(5);
        var payloads = new List<string>();
        for (int i = 0; i < 3000; i++)
        {
            double lon = rnd.NextDouble() * 360 - 180, lat = rnd.NextDouble() * 180 - 90;
            if (i % 3 == 0) { lon = 179 + rnd.NextDouble() * 2; if (lon > 180) lon -= 360; lat = rnd.NextDouble() * 4 - 2; }
            if (i % 5 == 0) lat = 88 + rnd.NextDouble() * 2;
            payloads.Add(i % 97 == 0 ? """{"g":{"lon":200,"lat":10}}"""
                : new JsonObject { ["g"] = new JsonObject { ["lon"] = lon, ["lat"] = lat } }.ToJsonString());
        }
        var (index, list) = Build("g", PayloadSchemaType.Geo, payloads);
        Check(index, list, new FieldCondition("g") { GeoBoundingBox = new GeoBoundingBox(new GeoPoint(178, 1.5), new GeoPoint(-178, -1.5)) });
        Check(index, list, new FieldCondition("g") { GeoBoundingBox = new GeoBoundingBox(new GeoPoint(-10, 50), new GeoPoint(30, -20)) });
        Check(index, list, new FieldCondition("g") { GeoRadius = new GeoRadius(new GeoPoint(179.9, 0), 150_000) });
        Check(index, list, new FieldCondition("g") { GeoRadius = new GeoRadius(new GeoPoint(-160, 10), 10_000) }); // lon 200 is lon -160
        Check(index, list, new FieldCondition("g") { GeoRadius = new GeoRadius(new GeoPoint(0, 89), 300_000) });
        Check(index, list, new FieldCondition("g") { GeoRadius = new GeoRadius(new GeoPoint(10, 10), 30_000_000) });
        Check(index, list, new FieldCondition("g")
        {
            GeoPolygon = new GeoPolygon(new GeoLineString([new(-20, -20), new(40, -20), new(40, 40), new(-20, 40), new(-20, -20)]),
                [new GeoLineString([new(0, 0), new(10, 0), new(10, 10), new(0, 10), new(0, 0)])]),
        });
        long entries = index.Query(new FieldCondition("g") { GeoRadius = new GeoRadius(new GeoPoint(179.9, 0), 150_000) })!.Entries;
        // A third of the points crowd a 2°×4° patch on the antimeridian; the circle's cells hold most of them, not all 3000.
        Assert.True(entries < 750, $"a small circle selects a few cells, got {entries} candidates");
    }

    [Fact]
    public void Text_index_answers_text_text_any_and_phrase_with_token_semantics()
    {
        string[] docs = ["Hello World", "hello, brave new world", "world-peace", "the hello", "HELLO", "nothing here", """["hello","world"]"""];
        var payloads = docs.Select(d => d.StartsWith('[') ? $$"""{"t":{{d}}}""" : new JsonObject { ["t"] = d }.ToJsonString()).ToList();
        var schema = PayloadFieldSchema.WithParams(PayloadSchemaType.Text, new PayloadIndexParams { Stopwords = new TextStopwords { Single = "english" } });
        var (index, list) = Build("t", schema, payloads);
        var tokenizer = ((TextIndex)index).Tokenizer;
        TextTokenizer? Text(string key) => key == "t" ? tokenizer : null;
        Check(index, list, new FieldCondition("t") { Match = new MatchText("hello world") }, Text);
        Check(index, list, new FieldCondition("t") { Match = new MatchTextAny("peace hello") }, Text);
        Check(index, list, new FieldCondition("t") { Match = new MatchPhrase("hello world") }, Text);

        var eval = FilterEvaluator.Compile(Filter.MustAll(new FieldCondition("t") { Match = new MatchText("hello world") }), Text);
        var matched = list.Select((p, i) => (p, i)).Where(x => eval.Matches(new TestPoint((ulong)x.i, x.p))).Select(x => x.i).ToList();
        Assert.Equal([0, 1, 6], matched); // tokens, case-folded, across an array's strings
        var phrase = FilterEvaluator.Compile(Filter.MustAll(new FieldCondition("t") { Match = new MatchPhrase("hello world") }), Text);
        Assert.Equal([0], list.Select((p, i) => (p, i)).Where(x => phrase.Matches(new TestPoint((ulong)x.i, x.p))).Select(x => x.i));
        // Without the index, Qdrant's substring rule: case-sensitive, whole text.
        var plain = FilterEvaluator.Compile(Filter.MustAll(new FieldCondition("t") { Match = new MatchText("hello") }));
        Assert.Equal([1, 3, 6], list.Select((p, i) => (p, i)).Where(x => plain.Matches(new TestPoint((ulong)x.i, x.p))).Select(x => x.i));
    }

    [Theory]
    [InlineData(TokenizerType.Word, "Hello, wörld! foo_bar 42x", "hello|wörld|foo|bar|42x")]
    [InlineData(TokenizerType.Whitespace, "Hello, wörld!  foo_bar", "hello,|wörld!|foo_bar")]
    [InlineData(TokenizerType.Multilingual, "Grape 葡萄酒 ok", "grape|葡|萄|酒|ok")]
    public void Tokenizers_split_as_Qdrant_does(TokenizerType type, string text, string expected)
    {
        var tokens = new List<string>();
        new TextTokenizer(new PayloadIndexParams { Tokenizer = type }).TokenizeDocument(text, tokens);
        Assert.Equal(expected.Split('|'), tokens);
    }

    [Fact]
    public void Token_options_lowercase_lengths_stopwords_folding_and_prefixes()
    {
        var tokens = new List<string>();
        new TextTokenizer(new PayloadIndexParams { Lowercase = false, MinTokenLen = 2, MaxTokenLen = 4 }).TokenizeDocument("A Bb Ccc Ddddd", tokens);
        Assert.Equal(["Bb", "Ccc"], tokens);
        tokens.Clear();
        new TextTokenizer(new PayloadIndexParams { Stopwords = new TextStopwords { Languages = ["english"], Custom = ["Grape"] } }).TokenizeDocument("The grape and THE vine", tokens);
        Assert.Equal(["vine"], tokens);
        tokens.Clear();
        new TextTokenizer(new PayloadIndexParams { AsciiFolding = true }).TokenizeDocument("Crème brûlée", tokens);
        Assert.Equal(["creme", "brulee"], tokens);
        tokens.Clear();
        var prefix = new TextTokenizer(new PayloadIndexParams { Tokenizer = TokenizerType.Prefix, MinTokenLen = 2, MaxTokenLen = 4 });
        prefix.TokenizeDocument("Hello hi", tokens);
        Assert.Equal(["he", "hel", "hell", "hi"], tokens);
        tokens.Clear();
        prefix.TokenizeQuery("HELLOS h", tokens);
        Assert.Equal(["hell"], tokens);
    }

    [Fact]
    public void Index_state_written_and_read_back_answers_the_same()
    {
        var (index, payloads) = Build("v", PayloadSchemaType.Integer, Mixed);
        using var ms = new MemoryStream();
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true)) index.Write(w, (uint)payloads.Count);
        ms.Position = 0;
        var loaded = FieldIndexFactory.Create("v", PayloadSchemaType.Integer);
        using (var r = new BinaryReader(ms)) loaded.Read(r);
        foreach (var c in new[] { new FieldCondition("v") { Match = new MatchValue(1L) }, new FieldCondition("v") { Range = new Grape.Core.Filtering.Model.Range { Gte = 1 } } })
            Assert.Equal(index.Query(c)!.Parts.SelectMany(p => p).Order(), loaded.Query(c)!.Parts.SelectMany(p => p).Order());
        Assert.Equal(index.Points.Snapshot().ToArray(), loaded.Points.Snapshot().ToArray());
    }
}
