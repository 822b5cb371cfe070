using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Range = Grape.Core.Filtering.Model.Range;

namespace Grape.Core.Tests.Indexing.Payload;

/// <summary>
/// A naive evaluator of Qdrant's filter rules on <see cref="JsonObject"/> payloads, written independently of the
/// engine (no tape, no compiled nodes, no indexes): key paths with <c>.key</c> and <c>[]</c>, a condition on an
/// array matching one element (one level), is_empty / is_null / values_count on whole values, nested per element,
/// min_should, and full-text matching on the keys listed in <see cref="TextKeys"/> as a lower-cased word index does.
/// </summary>
internal sealed class JsonReferenceFilter(IReadOnlySet<string> textKeys)
{
    public IReadOnlySet<string> TextKeys { get; } = textKeys;

    public bool Eval(Filter f, JsonObject payload, PointId id) => EvalFilter(f, payload, id, nested: false, prefix: "");

    private bool EvalFilter(Filter f, JsonObject root, PointId id, bool nested, string prefix)
    {
        if (f.Must is { } must && !must.All(c => EvalCondition(c, root, id, nested, prefix))) return false;
        if (f.MustNot is { } mustNot && mustNot.Any(c => EvalCondition(c, root, id, nested, prefix))) return false;
        if (f.Should is { } should && (should.Count > 0 || nested) && !should.Any(c => EvalCondition(c, root, id, nested, prefix))) return false;
        if (f.MinShould is { } ms && ms.Conditions.Count(c => EvalCondition(c, root, id, nested, prefix)) < ms.MinCount) return false;
        return true;
    }

    public static List<JsonNode?> Values(JsonNode? root, string path)
    {
        var current = new List<JsonNode?> { root };
        foreach (var part in path.Split('.'))
        {
            bool all = part.EndsWith("[]", StringComparison.Ordinal);
            string key = all ? part[..^2] : part;
            var next = new List<JsonNode?>();
            foreach (var node in current)
            {
                if (node is not JsonObject o || !o.TryGetPropertyValue(key, out var v)) continue;
                if (!all) next.Add(v);
                else if (v is JsonArray a) next.AddRange(a);
            }
            current = next;
        }
        return current;
    }

    private bool EvalCondition(Condition c, JsonObject root, PointId id, bool nested, string prefix)
    {
        switch (c)
        {
            case FilterCondition fc: return EvalFilter(fc.Filter, root, id, nested, prefix);
            case HasIdCondition h: return !nested && h.Ids.Contains(id);
            case IsEmptyCondition e: return Values(root, e.Key).All(v => v is null || v is JsonArray { Count: 0 });
            case IsNullCondition n: return Values(root, n.Key).Any(v => v is null);
            case NestedCondition n:
                return Values(root, n.Key + "[]").Any(v => v is JsonObject o && EvalFilter(n.Filter, o, id, nested: true, prefix + n.Key + "[]."));
            case FieldCondition f:
            {
                var values = Values(root, f.Key);
                if (f.Match is MatchText or MatchTextAny or MatchPhrase && TextKeys.Contains(prefix + f.Key)) return Text(f.Match, values);
                if (f.ValuesCount is { } vc)
                {
                    if (values.Count == 0) return Fits(vc, 0);
                    return values.Any(v => Fits(vc, v switch { null => 0, JsonArray a => a.Count, _ => 1 }));
                }
                return values.Any(v => v is JsonArray a ? a.Any(e => Scalar(f, e)) : Scalar(f, v));
            }
            default: throw new NotSupportedException(c.GetType().Name);
        }
    }

    private static bool Fits(ValuesCount c, int n) =>
        (c.Lt is null || n < c.Lt) && (c.Gt is null || n > c.Gt) && (c.Lte is null || n <= c.Lte) && (c.Gte is null || n >= c.Gte);

    private static bool Scalar(FieldCondition f, JsonNode? v)
    {
        if (f.Range is { } r) return Number(v) is double x && InRange(r, x);
        if (f.DatetimeRange is { } dr) return v is JsonValue s && s.GetValueKind() == JsonValueKind.String && Datetime(s.GetValue<string>()) is { } t && InRange(dr, t);
        if (f.GeoBoundingBox is { } box)
            return Geo(v) is var (lon, lat) && box.BottomRight.Lat < lat && lat < box.TopLeft.Lat
                && (box.TopLeft.Lon > box.BottomRight.Lon ? lon > box.TopLeft.Lon || lon < box.BottomRight.Lon : box.TopLeft.Lon < lon && lon < box.BottomRight.Lon);
        if (f.GeoRadius is { } gr) return Geo(v) is var (lon2, lat2) && Haversine(gr.Center.Lon, gr.Center.Lat, lon2, lat2) < gr.Radius;
        return f.Match switch
        {
            MatchValue m => Equal(m.Value, v),
            MatchAny any => any.Values.Any(x => Equal(x, v)),
            MatchExcept ex when ex.Values.Count > 0 && ex.Values[0].Kind == MatchScalarKind.Integer =>
                v is JsonValue jv && jv.GetValueKind() == JsonValueKind.Number ? !(Integer(v) is long i && ex.Values.Any(x => x.Integer == i)) : v is not null,
            MatchExcept ex => v is JsonValue sv && sv.GetValueKind() == JsonValueKind.String ? !ex.Values.Any(x => x.Keyword == sv.GetValue<string>()) : v is not null,
            MatchPrefix px => v is JsonValue s2 && s2.GetValueKind() == JsonValueKind.String && s2.GetValue<string>().StartsWith(px.Prefix, StringComparison.Ordinal),
            MatchText t => v is JsonValue s1 && s1.GetValueKind() == JsonValueKind.String && s1.GetValue<string>().Contains(t.Text, StringComparison.Ordinal),
            _ => throw new NotSupportedException(),
        };
    }

    private static bool Equal(MatchScalar m, JsonNode? v) => m.Kind switch
    {
        MatchScalarKind.Keyword => v is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>() == m.Keyword,
        MatchScalarKind.Integer => Integer(v) == m.Integer,
        _ => v is JsonValue b && b.GetValueKind() == (m.Bool ? JsonValueKind.True : JsonValueKind.False),
    };

    private static long? Integer(JsonNode? v) =>
        v is JsonValue n && n.GetValueKind() == JsonValueKind.Number && long.TryParse(n.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) ? l : null;

    private static double? Number(JsonNode? v) =>
        v is JsonValue n && n.GetValueKind() == JsonValueKind.Number ? double.Parse(n.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static bool InRange(Range r, double x) =>
        (r.Gt is null || x > r.Gt) && (r.Gte is null || x >= r.Gte) && (r.Lt is null || x < r.Lt) && (r.Lte is null || x <= r.Lte);

    private static bool InRange(DatetimeRange r, DateTimeOffset x) =>
        (r.Gt is null || x > r.Gt) && (r.Gte is null || x >= r.Gte) && (r.Lt is null || x < r.Lt) && (r.Lte is null || x <= r.Lte);

    private static DateTimeOffset? Datetime(string s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static (double, double)? Geo(JsonNode? v) =>
        v is JsonObject o && Number(o["lon"]) is double lon && Number(o["lat"]) is double lat ? (lon, lat) : null;

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        double a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 6371008.8 * 2 * Math.Asin(Math.Sqrt(a));
    }

    // A lower-cased word index, checked per value at the key.
    private static bool Text(Match m, List<JsonNode?> values)
    {
        return values.Any(v => TextValue(m, v));
    }

    // One value is one document (an array's strings together); a phrase stays within one string.
    private static bool TextValue(Match m, JsonNode? v)
    {
        var docs = new List<string[]>();
        foreach (var e in v is JsonArray a ? a.ToList() : new List<JsonNode?> { v })
            if (e is JsonValue s && s.GetValueKind() == JsonValueKind.String) docs.Add(Words(s.GetValue<string>()));
        var all = docs.SelectMany(d => d).ToHashSet();
        switch (m)
        {
            case MatchText t: { var q = Words(t.Text); return q.Length > 0 && q.All(all.Contains); }
            case MatchTextAny t: return Words(t.Text).Any(all.Contains);
            default:
            {
                var q = Words(((MatchPhrase)m).Phrase);
                return q.Length > 0 && docs.Any(d => Enumerable.Range(0, Math.Max(0, d.Length - q.Length + 1)).Any(i => q.SequenceEqual(d.Skip(i).Take(q.Length))));
            }
        }
    }

    private static string[] Words(string s) =>
        s.ToLowerInvariant().Split(s.Where(ch => !char.IsLetterOrDigit(ch)).Distinct().ToArray(), StringSplitOptions.RemoveEmptyEntries);
}
