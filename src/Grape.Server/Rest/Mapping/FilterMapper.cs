using System.Globalization;
using System.Text.Json;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Server.Errors;
using static Grape.Server.Rest.Mapping.JsonRead;
using Range = Grape.Core.Filtering.Model.Range;

namespace Grape.Server.Rest.Mapping;

/// <summary>
/// Qdrant's filter JSON → <see cref="Filter"/>. Qdrant declares <c>Filter</c> with deny_unknown_fields and
/// <c>Condition</c> as an untagged union; we decide the variant by its keys and name the offending path on errors.
/// </summary>
internal static class FilterMapper
{
    private static readonly string[] FilterKeys = ["must", "should", "must_not", "min_should"];
    private static readonly string[] FieldKeys = ["key", "match", "range", "geo_bounding_box", "geo_radius", "geo_polygon", "values_count", "is_empty", "is_null"];

    public static Filter? Optional(JsonElement obj, string name, string path) => Opt(obj, name) is { } f ? Parse(f, Join(path, name)) : null;

    public static Filter Parse(JsonElement e, string path)
    {
        ExpectObject(e, path, "a filter object with must / should / must_not / min_should");
        NoUnknown(e, path, FilterKeys);
        MinShould? minShould = null;
        if (Opt(e, "min_should") is { } ms)
        {
            string p = Join(path, "min_should");
            ExpectObject(ms, p, "{conditions, min_count}");
            NoUnknown(ms, p, "conditions", "min_count");
            var conds = ConditionList(Req(ms, "conditions", p), Join(p, "conditions"));
            int minCount = Int(Req(ms, "min_count", p), Join(p, "min_count"), min: 1);
            minShould = new MinShould(conds, minCount);
        }
        return new Filter
        {
            Must = Opt(e, "must") is { } m ? ConditionList(m, Join(path, "must")) : null,
            Should = Opt(e, "should") is { } s ? ConditionList(s, Join(path, "should")) : null,
            MustNot = Opt(e, "must_not") is { } n ? ConditionList(n, Join(path, "must_not")) : null,
            MinShould = minShould,
        };
    }

    // Qdrant accepts a single condition where a list is expected.
    private static List<Condition> ConditionList(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Object) return [Condition(e, path)];
        if (e.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a condition or a list of conditions");
        var list = new List<Condition>(e.GetArrayLength());
        int i = 0;
        foreach (var c in e.EnumerateArray()) list.Add(Condition(c, $"{path}[{i++}]"));
        return list;
    }

    internal static Condition Condition(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a condition object (field condition, is_empty, is_null, has_id, has_vector, nested or filter)");
        if (e.TryGetProperty("key", out _)) return Field(e, path);
        if (Opt(e, "is_empty") is { } ie) return new IsEmptyCondition(KeyOnly(ie, Join(path, "is_empty")));
        if (Opt(e, "is_null") is { } isn) return new IsNullCondition(KeyOnly(isn, Join(path, "is_null")));
        if (Opt(e, "has_id") is { } hid) return new HasIdCondition(PointIds(hid, Join(path, "has_id")).ToHashSet());
        if (Opt(e, "has_vector") is { } hv) return new HasVectorCondition(String(hv, Join(path, "has_vector")));
        if (Opt(e, "nested") is { } nested)
        {
            string p = Join(path, "nested");
            ExpectObject(nested, p, "{key, filter}");
            NoUnknown(nested, p, "key", "filter");
            return new NestedCondition(String(Req(nested, "key", p), Join(p, "key")), Parse(Req(nested, "filter", p), Join(p, "filter")));
        }
        if (e.TryGetProperty("slice", out _)) throw RequestException.NotSupported("the `slice` condition");
        foreach (var p in e.EnumerateObject())
        {
            if (Array.IndexOf(FilterKeys, p.Name) < 0)
                throw RequestException.Format($"{Where(path)}unknown condition `{p.Name}`: expected a field condition (with `key`), `is_empty`, `is_null`, `has_id`, `has_vector`, `nested`, or a nested filter");
        }
        return new FilterCondition(Parse(e, path)); // a nested boolean filter ({} matches everything)
    }

    private static string KeyOnly(JsonElement e, string path)
    {
        ExpectObject(e, path, "{key}");
        NoUnknown(e, path, "key");
        return String(Req(e, "key", path), Join(path, "key"));
    }

    private static FieldCondition Field(JsonElement e, string path)
    {
        NoUnknown(e, path, FieldKeys);
        var c = new FieldCondition(String(Req(e, "key", path), Join(path, "key")));
        int predicates = 0;
        if (Opt(e, "match") is { } m) { c = c with { Match = Match(m, Join(path, "match")) }; predicates++; }
        if (Opt(e, "range") is { } r)
        {
            predicates++;
            string p = Join(path, "range");
            ExpectObject(r, p, "{lt, gt, gte, lte}");
            NoUnknown(r, p, "lt", "gt", "gte", "lte");
            bool datetime = r.EnumerateObject().Any(x => x.Value.ValueKind == JsonValueKind.String);
            c = datetime ? c with { DatetimeRange = DateRange(r, p) } : c with { Range = NumberRange(r, p) };
        }
        if (Opt(e, "geo_bounding_box") is { } bb)
        {
            predicates++;
            string p = Join(path, "geo_bounding_box");
            ExpectObject(bb, p, "{top_left, bottom_right}");
            NoUnknown(bb, p, "top_left", "bottom_right");
            c = c with { GeoBoundingBox = new GeoBoundingBox(Geo(Req(bb, "top_left", p), Join(p, "top_left")), Geo(Req(bb, "bottom_right", p), Join(p, "bottom_right"))) };
        }
        if (Opt(e, "geo_radius") is { } gr)
        {
            predicates++;
            string p = Join(path, "geo_radius");
            ExpectObject(gr, p, "{center, radius}");
            NoUnknown(gr, p, "center", "radius");
            double radius = Double(Req(gr, "radius", p), Join(p, "radius"));
            if (radius < 0) throw RequestException.Validation($"[{p}.radius: must be 0 or more]");
            c = c with { GeoRadius = new GeoRadius(Geo(Req(gr, "center", p), Join(p, "center")), radius) };
        }
        if (Opt(e, "geo_polygon") is { } gp)
        {
            predicates++;
            string p = Join(path, "geo_polygon");
            ExpectObject(gp, p, "{exterior, interiors}");
            NoUnknown(gp, p, "exterior", "interiors");
            var exterior = Ring(Req(gp, "exterior", p), Join(p, "exterior"));
            List<GeoLineString>? interiors = null;
            if (Opt(gp, "interiors") is { } ins)
            {
                if (ins.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{p}.interiors: invalid type: {Kind(ins)}, expected a list of rings");
                interiors = [];
                int i = 0;
                foreach (var ring in ins.EnumerateArray()) interiors.Add(Ring(ring, $"{p}.interiors[{i++}]"));
            }
            c = c with { GeoPolygon = new GeoPolygon(exterior, interiors) };
        }
        if (Opt(e, "values_count") is { } vc)
        {
            predicates++;
            string p = Join(path, "values_count");
            ExpectObject(vc, p, "{lt, gt, gte, lte}");
            NoUnknown(vc, p, "lt", "gt", "gte", "lte");
            c = c with { ValuesCount = new ValuesCount { Lt = OptInt(vc, "lt", p), Gt = OptInt(vc, "gt", p), Gte = OptInt(vc, "gte", p), Lte = OptInt(vc, "lte", p) } };
        }
        if (OptBool(e, "is_empty", path) is { } isEmpty) { c = c with { IsEmpty = isEmpty }; predicates++; }
        if (OptBool(e, "is_null", path) is { } isNull) { c = c with { IsNull = isNull }; predicates++; }
        if (predicates == 0)
            throw RequestException.Validation($"[{path}: at least one field condition must be specified (match, range, geo_bounding_box, geo_radius, geo_polygon, values_count, is_empty or is_null)]");
        if (predicates > 1) throw RequestException.Validation($"[{path}: only one field condition may be specified per key condition]");
        return c;
    }

    private static Match Match(JsonElement e, string path)
    {
        ExpectObject(e, path, "a match object (value, text, text_any, phrase, prefix, any or except)");
        NoUnknown(e, path, "value", "text", "text_any", "phrase", "prefix", "any", "except");
        if (e.TryGetProperty("value", out var v)) return new MatchValue(Scalar(v, Join(path, "value")));
        if (e.TryGetProperty("text", out var t)) return new MatchText(String(t, Join(path, "text")));
        if (e.TryGetProperty("text_any", out var ta)) return new MatchTextAny(String(ta, Join(path, "text_any")));
        if (e.TryGetProperty("phrase", out var ph)) return new MatchPhrase(String(ph, Join(path, "phrase")));
        if (e.TryGetProperty("prefix", out var px)) return new MatchPrefix(String(px, Join(path, "prefix")));
        if (e.TryGetProperty("any", out var any)) return new MatchAny(ScalarList(any, Join(path, "any")));
        if (e.TryGetProperty("except", out var ex)) return new MatchExcept(ScalarList(ex, Join(path, "except")));
        throw RequestException.Format($"{Where(path)}expected one of `value`, `text`, `text_any`, `phrase`, `prefix`, `any`, `except`");
    }

    private static MatchScalar Scalar(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.String => MatchScalar.Of(e.GetString()!),
        JsonValueKind.True => MatchScalar.Of(true),
        JsonValueKind.False => MatchScalar.Of(false),
        JsonValueKind.Number when e.TryGetInt64(out long n) => MatchScalar.Of(n),
        _ => throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a string, an integer or a boolean"),
    };

    // Qdrant's AnyVariants: all strings or all integers.
    private static List<MatchScalar> ScalarList(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a list of strings or a list of integers");
        var list = new List<MatchScalar>(e.GetArrayLength());
        int i = 0;
        foreach (var item in e.EnumerateArray())
        {
            var s = Scalar(item, $"{path}[{i++}]");
            if (s.Kind == MatchScalarKind.Bool || (list.Count > 0 && list[0].Kind != s.Kind))
                throw RequestException.Format($"{Where(path)}expected a list of only strings or only integers");
            list.Add(s);
        }
        return list;
    }

    private static Range NumberRange(JsonElement r, string p) => new()
    {
        Lt = OptDouble(r, "lt", p), Gt = OptDouble(r, "gt", p), Gte = OptDouble(r, "gte", p), Lte = OptDouble(r, "lte", p),
    };

    private static DatetimeRange DateRange(JsonElement r, string p) => new()
    {
        Lt = Date(r, "lt", p), Gt = Date(r, "gt", p), Gte = Date(r, "gte", p), Lte = Date(r, "lte", p),
    };

    private static DateTimeOffset? Date(JsonElement obj, string name, string path)
    {
        if (Opt(obj, name) is not { } v) return null;
        string s = String(v, Join(path, name));
        // RFC 3339; Qdrant also takes a date-time without zone (UTC) and a plain date.
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var d)) return d;
        throw RequestException.Format($"{path}.{name}: `{s}` is not an RFC 3339 date-time");
    }

    internal static GeoPoint Geo(JsonElement e, string path)
    {
        ExpectObject(e, path, "{lon, lat}");
        NoUnknown(e, path, "lon", "lat");
        double lon = Double(Req(e, "lon", path), Join(path, "lon")), lat = Double(Req(e, "lat", path), Join(path, "lat"));
        if (lon is < -180 or > 180) throw RequestException.Validation($"[{path}.lon: value {lon} invalid, must be from -180 to 180]");
        if (lat is < -90 or > 90) throw RequestException.Validation($"[{path}.lat: value {lat} invalid, must be from -90 to 90]");
        return new GeoPoint(lon, lat);
    }

    private static GeoLineString Ring(JsonElement e, string path)
    {
        ExpectObject(e, path, "{points}");
        NoUnknown(e, path, "points");
        var pts = Req(e, "points", path);
        if (pts.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{path}.points: invalid type: {Kind(pts)}, expected a list of geo points");
        var list = new List<GeoPoint>(pts.GetArrayLength());
        int i = 0;
        foreach (var p in pts.EnumerateArray()) list.Add(Geo(p, $"{path}.points[{i++}]"));
        if (list.Count < 4) throw RequestException.Validation($"[{path}: a polygon ring needs at least 4 points, got {list.Count}]");
        if (list[0] != list[^1]) throw RequestException.Validation($"[{path}: the first and the last point of a ring must be the same]");
        return new GeoLineString(list);
    }

    /// <summary>A filter that also requires <c>has_id</c> (Qdrant applies points + filter together when both are given).</summary>
    public static Filter WithIds(Filter filter, IReadOnlyList<PointId> ids) => new()
    {
        Must = [new HasIdCondition(ids.ToHashSet()), new FilterCondition(filter)],
    };
}
