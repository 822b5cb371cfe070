using System.Globalization;
using System.Text.Json.Nodes;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Range = Grape.Core.Filtering.Model.Range;

namespace Grape.Core.Tests.Indexing.Payload;

/// <summary>Random payloads (nested objects, arrays, nulls, missing keys, mixed types) and random filter trees over them.</summary>
internal sealed class RandomFilters(Random rnd)
{
    public static readonly string[] Words = ["a", "b", "c"];
    public static readonly string[] Uuids = ["5c56c793-69f3-4fbf-87e6-c4bf54c28c26", "0f0e0d0c-0b0a-0908-0706-050403020100"];
    public static readonly string[] Dates = ["2024-01-01T00:00:00Z", "2024-01-02T12:00:00+01:00", "2024-01-03", "2024-01-04T08:30:00Z", "not a date"];
    public static readonly string[] Texts = ["hello world", "Hello there", "world peace now", "peace", "the world said hello"];
    private static readonly (double Lon, double Lat)[] Places = [(0, 0), (13.4, 52.5), (-73.9, 40.7), (179.9, 10), (-179.9, 10), (2.35, 48.85)];

    private T Pick<T>(IReadOnlyList<T> items) => items[rnd.Next(items.Count)];
    private bool Chance(double p) => rnd.NextDouble() < p;

    private JsonNode? Scalar(int kind) => kind switch
    {
        0 => JsonValue.Create(Pick(Words)),
        1 => JsonValue.Create(rnd.Next(-3, 4)),
        2 => JsonValue.Create(Pick(new[] { -1.5, 0.5, 2.5 })),
        3 => JsonValue.Create(Chance(0.5)),
        _ => null,
    };

    private JsonNode? Mixed(int main)
    {
        int r = rnd.Next(10);
        if (r < 5) return Scalar(main);
        if (r < 6) return Scalar(rnd.Next(5));
        if (r < 9)
        {
            var a = new JsonArray();
            for (int i = rnd.Next(0, 4); i > 0; i--) a.Add(Chance(0.8) ? Scalar(main) : Scalar(rnd.Next(5)));
            return a;
        }
        return new JsonArray(new JsonArray(Scalar(main)), Scalar(main));
    }

    private JsonNode? Geo(double lon, double lat) => new JsonObject { ["lon"] = lon, ["lat"] = lat };

    public JsonObject Payload()
    {
        var p = new JsonObject();
        void Maybe(string key, Func<JsonNode?> value) { if (Chance(0.8)) p[key] = value(); }
        Maybe("k", () => Mixed(0));
        Maybe("n", () => Mixed(1));
        Maybe("f", () => Mixed(rnd.Next(2) + 1));
        Maybe("b", () => Mixed(3));
        Maybe("d", () => Chance(0.8) ? JsonValue.Create(Pick(Dates)) : new JsonArray(JsonValue.Create(Pick(Dates)), JsonValue.Create(Pick(Dates))));
        Maybe("u", () => Chance(0.85) ? JsonValue.Create(Pick(Uuids)) : JsonValue.Create(Uuids[0].ToUpperInvariant()));
        Maybe("g", () =>
        {
            var (lon, lat) = Pick(Places);
            return Chance(0.8) ? Geo(lon + rnd.NextDouble(), lat + rnd.NextDouble()) : new JsonArray(Geo(lon, lat), Geo(-lon, -lat));
        });
        Maybe("t", () => Chance(0.8) ? JsonValue.Create(Pick(Texts)) : new JsonArray(JsonValue.Create(Pick(Texts)), JsonValue.Create(Pick(Texts))));
        Maybe("obj", () => Chance(0.8)
            ? new JsonObject { ["k"] = Mixed(0), ["n"] = Mixed(1) }
            : Chance(0.5) ? new JsonArray(new JsonObject { ["k"] = Scalar(0) }, new JsonObject { ["k"] = Scalar(0), ["n"] = Scalar(1) }) : null);
        Maybe("arr", () =>
        {
            var a = new JsonArray();
            for (int i = rnd.Next(0, 4); i > 0; i--) a.Add(Chance(0.9) ? new JsonObject { ["k"] = Scalar(rnd.Next(2) == 0 ? 0 : 4), ["n"] = Scalar(1) } : Scalar(1));
            return a;
        });
        return p;
    }

    // A box past the antimeridian is given with its left edge east of its right edge.
    private static double Wrap(double lon) => lon > 180 ? lon - 360 : lon < -180 ? lon + 360 : lon;

    private Range RandomRange()
    {
        double?[] b = [null, null, -2, -1.5, 0, 0.5, 1, 2, 2.5];
        return new Range { Gt = Pick(b), Gte = Pick(b), Lt = Pick(b), Lte = Pick(b) };
    }

    private DatetimeRange RandomDatetimeRange()
    {
        DateTimeOffset?[] b = [null, null, DateTimeOffset.Parse("2024-01-02T00:00:00Z", CultureInfo.InvariantCulture),
            DateTimeOffset.Parse("2024-01-02T11:00:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2024-01-03T00:00:00Z", CultureInfo.InvariantCulture)];
        return new DatetimeRange { Gt = Pick(b), Gte = Pick(b), Lt = Pick(b), Lte = Pick(b) };
    }

    public Condition Leaf(bool inNested)
    {
        string[] keywordKeys = inNested ? ["k"] : ["k", "obj.k", "arr[].k", "obj[].k"];
        string[] intKeys = inNested ? ["n"] : ["n", "f", "arr[].n", "obj.n"];
        switch (rnd.Next(inNested ? 6 : 16))
        {
            case 0:
            {
                if (Chance(0.7)) return new FieldCondition(Pick(keywordKeys)) { Match = new MatchValue(Pick(Words)) };
                string w = Pick(Words);
                return new FieldCondition(Pick(keywordKeys)) { Match = new MatchPrefix(w[..rnd.Next(0, w.Length + 1)]) };
            }
            case 1: return new FieldCondition(Pick(intKeys)) { Match = new MatchValue((long)rnd.Next(-3, 4)) };
            case 2:
                return Chance(0.5)
                    ? new FieldCondition(Pick(keywordKeys)) { Match = new MatchAny([.. Words.Where(_ => Chance(0.5)).Select(MatchScalar.Of)]) }
                    : new FieldCondition(Pick(intKeys)) { Match = new MatchAny([.. Enumerable.Range(-3, 7).Where(_ => Chance(0.3)).Select(i => MatchScalar.Of((long)i))]) };
            case 3:
                return Chance(0.5)
                    ? new FieldCondition(Pick(keywordKeys)) { Match = new MatchExcept([.. Words.Where(_ => Chance(0.5)).Select(MatchScalar.Of)]) }
                    : new FieldCondition(Pick(intKeys)) { Match = new MatchExcept([MatchScalar.Of((long)rnd.Next(-3, 4))]) };
            case 4: return new FieldCondition(Pick(intKeys)) { Range = RandomRange() };
            case 5: return Chance(0.5) ? new IsEmptyCondition(Pick(inNested ? ["k", "n"] : new[] { "k", "n", "obj", "arr", "obj.k" })) : new IsNullCondition(Pick(new[] { "k", "n" }));
            case 6: return new FieldCondition("b") { Match = new MatchValue(Chance(0.5)) };
            case 7: return new FieldCondition("d") { DatetimeRange = RandomDatetimeRange() };
            case 8: return new FieldCondition("u") { Match = Chance(0.7) ? new MatchValue(Pick(Uuids)) : new MatchAny([.. Uuids.Select(MatchScalar.Of)]) };
            case 9:
            {
                var (lon, lat) = Pick(Places);
                return Chance(0.5)
                    ? new FieldCondition("g") { GeoBoundingBox = new GeoBoundingBox(new GeoPoint(Wrap(lon - 1), lat + 1.5), new GeoPoint(Wrap(lon + 1.5), lat - 1)) }
                    : new FieldCondition("g") { GeoRadius = new GeoRadius(new GeoPoint(lon, lat), Pick(new[] { 1000.0, 80_000, 200_000, 3_000_000 })) };
            }
            case 10:
            {
                string q = Pick(new[] { "hello", "world", "hello world", "peace HELLO", "there", "nothing" });
                return rnd.Next(3) switch
                {
                    0 => new FieldCondition("t") { Match = new MatchText(q) },
                    1 => new FieldCondition("t") { Match = new MatchTextAny(q) },
                    _ => new FieldCondition("t") { Match = new MatchPhrase(q) },
                };
            }
            case 11: return new HasIdCondition(new HashSet<PointId>(Enumerable.Range(0, 5).Select(_ => (PointId)(ulong)rnd.Next(0, 60))));
            case 12: return new FieldCondition(Pick(new[] { "k", "n" })) { ValuesCount = new ValuesCount { Gte = rnd.Next(0, 3), Lt = Chance(0.5) ? rnd.Next(1, 4) : null } };
            case 13: return new NestedCondition("arr", Tree(1, inNested: true));
            case 14: return new FieldCondition("obj.n") { Range = RandomRange() };
            default: return new FieldCondition("k") { Match = new MatchValue(Pick(Words)) };
        }
    }

    private List<Condition>? List(int depth, bool inNested)
    {
        if (Chance(0.35)) return null;
        var list = new List<Condition>();
        for (int i = rnd.Next(0, 3); i > 0; i--)
            list.Add(depth > 0 && Chance(0.3) ? new FilterCondition(Tree(depth - 1, inNested)) : Leaf(inNested));
        return list;
    }

    public Filter Tree(int depth, bool inNested = false)
    {
        var f = new Filter { Must = List(depth, inNested), Should = List(depth, inNested), MustNot = Chance(0.5) ? List(depth, inNested) : null };
        if (Chance(0.2))
        {
            var conditions = new List<Condition>();
            for (int i = rnd.Next(1, 4); i > 0; i--) conditions.Add(Leaf(inNested));
            f = f with { MinShould = new MinShould(conditions, rnd.Next(1, conditions.Count + 1)) };
        }
        return f;
    }

    /// <summary>Filters that are one indexed condition (the exact, check-free path) or a few of them.</summary>
    public Filter Simple() => rnd.Next(3) switch
    {
        0 => Filter.MustAll(Leaf(false)),
        1 => new Filter { Should = [Leaf(false), Leaf(false)] },
        _ => new Filter { Must = [Leaf(false)], MustNot = [Leaf(false)] },
    };
}
