using Grape.Core.Points;
using Grape.Server.Errors;
using C = Grape.Core.Filtering.Model;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>Qdrant's protobuf <c>Filter</c> / <c>Condition</c> tree → Core's <see cref="C.Filter"/> (the same model REST builds).</summary>
internal static class GrpcFilterMapper
{
    /// <summary>Null when the message is absent (proto3 leaves unset message fields null).</summary>
    public static C.Filter? Optional(P.Filter? f) => f is null ? null : Map(f);

    public static C.Filter Map(P.Filter f) => new()
    {
        Must = f.Must.Count > 0 ? Conditions(f.Must) : null,
        Should = f.Should.Count > 0 ? Conditions(f.Should) : null,
        MustNot = f.MustNot.Count > 0 ? Conditions(f.MustNot) : null,
        MinShould = f.MinShould is { } ms ? new C.MinShould(Conditions(ms.Conditions), MinCount(ms.MinCount)) : null,
    };

    private static int MinCount(ulong n) =>
        n is >= 1 and <= int.MaxValue ? (int)n : throw GrpcInput.Invalid($"min_should.min_count: value {n} invalid, must be 1 or more");

    private static List<C.Condition> Conditions(IReadOnlyCollection<P.Condition> list)
    {
        var result = new List<C.Condition>(list.Count);
        foreach (var c in list) result.Add(Condition(c));
        return result;
    }

    internal static C.Condition Condition(P.Condition c) => c.ConditionOneOfCase switch
    {
        P.Condition.ConditionOneOfOneofCase.Field => Field(c.Field),
        P.Condition.ConditionOneOfOneofCase.IsEmpty => new C.IsEmptyCondition(c.IsEmpty.Key),
        P.Condition.ConditionOneOfOneofCase.IsNull => new C.IsNullCondition(c.IsNull.Key),
        P.Condition.ConditionOneOfOneofCase.HasId => new C.HasIdCondition(c.HasId.HasId.Select(GrpcPointsMapper.Id).ToHashSet()),
        P.Condition.ConditionOneOfOneofCase.HasVector => new C.HasVectorCondition(c.HasVector.HasVector),
        P.Condition.ConditionOneOfOneofCase.Nested => new C.NestedCondition(c.Nested.Key, c.Nested.Filter is { } nf ? Map(nf) : new C.Filter()),
        P.Condition.ConditionOneOfOneofCase.Filter => new C.FilterCondition(Map(c.Filter)),
        P.Condition.ConditionOneOfOneofCase.Slice => throw RequestException.NotSupported("the `slice` condition"),
        _ => throw GrpcInput.Invalid("condition: one of field, is_empty, is_null, has_id, has_vector, nested or filter must be set"),
    };

    private static C.FieldCondition Field(P.FieldCondition f)
    {
        var c = new C.FieldCondition(f.Key);
        int predicates = 0;
        if (f.Match is { } m) { c = c with { Match = Match(m) }; predicates++; }
        if (f.Range is { } r)
        {
            c = c with { Range = new C.Range { Lt = r.HasLt ? r.Lt : null, Gt = r.HasGt ? r.Gt : null, Gte = r.HasGte ? r.Gte : null, Lte = r.HasLte ? r.Lte : null } };
            predicates++;
        }
        if (f.DatetimeRange is { } dr)
        {
            c = c with { DatetimeRange = new C.DatetimeRange { Lt = dr.Lt?.ToDateTimeOffset(), Gt = dr.Gt?.ToDateTimeOffset(), Gte = dr.Gte?.ToDateTimeOffset(), Lte = dr.Lte?.ToDateTimeOffset() } };
            predicates++;
        }
        if (f.GeoBoundingBox is { } bb)
        {
            c = c with { GeoBoundingBox = new C.GeoBoundingBox(Geo(bb.TopLeft, "top_left"), Geo(bb.BottomRight, "bottom_right")) };
            predicates++;
        }
        if (f.GeoRadius is { } gr)
        {
            if (gr.Radius < 0) throw GrpcInput.Invalid("geo_radius.radius: must be 0 or more");
            c = c with { GeoRadius = new C.GeoRadius(Geo(gr.Center, "center"), gr.Radius) };
            predicates++;
        }
        if (f.GeoPolygon is { } gp)
        {
            var exterior = Ring(gp.Exterior, "exterior");
            var interiors = gp.Interiors.Count > 0 ? gp.Interiors.Select(i => Ring(i, "interiors")).ToList() : null;
            c = c with { GeoPolygon = new C.GeoPolygon(exterior, interiors) };
            predicates++;
        }
        if (f.ValuesCount is { } vc)
        {
            c = c with { ValuesCount = new C.ValuesCount { Lt = Count(vc.HasLt, vc.Lt), Gt = Count(vc.HasGt, vc.Gt), Gte = Count(vc.HasGte, vc.Gte), Lte = Count(vc.HasLte, vc.Lte) } };
            predicates++;
        }
        if (f.HasIsEmpty) { c = c with { IsEmpty = f.IsEmpty }; predicates++; }
        if (f.HasIsNull) { c = c with { IsNull = f.IsNull }; predicates++; }
        if (predicates == 0)
            throw GrpcInput.Invalid($"field condition on `{f.Key}`: at least one of match, range, datetime_range, geo_bounding_box, geo_radius, geo_polygon, values_count, is_empty or is_null must be set");
        if (predicates > 1) throw GrpcInput.Invalid($"field condition on `{f.Key}`: only one condition may be set per key condition");
        return c;
    }

    private static int? Count(bool has, ulong v) => has ? (int)Math.Min(v, int.MaxValue) : null;

    private static C.Match Match(P.Match m) => m.MatchValueCase switch
    {
        P.Match.MatchValueOneofCase.Keyword => new C.MatchValue(C.MatchScalar.Of(m.Keyword)),
        P.Match.MatchValueOneofCase.Integer => new C.MatchValue(C.MatchScalar.Of(m.Integer)),
        P.Match.MatchValueOneofCase.Boolean => new C.MatchValue(C.MatchScalar.Of(m.Boolean)),
        P.Match.MatchValueOneofCase.Text => new C.MatchText(m.Text),
        P.Match.MatchValueOneofCase.TextAny => new C.MatchTextAny(m.TextAny),
        P.Match.MatchValueOneofCase.Phrase => new C.MatchPhrase(m.Phrase),
        P.Match.MatchValueOneofCase.Keywords => new C.MatchAny(m.Keywords.Strings.Select(C.MatchScalar.Of).ToList()),
        P.Match.MatchValueOneofCase.Integers => new C.MatchAny(m.Integers.Integers.Select(C.MatchScalar.Of).ToList()),
        P.Match.MatchValueOneofCase.ExceptKeywords => new C.MatchExcept(m.ExceptKeywords.Strings.Select(C.MatchScalar.Of).ToList()),
        P.Match.MatchValueOneofCase.ExceptIntegers => new C.MatchExcept(m.ExceptIntegers.Integers.Select(C.MatchScalar.Of).ToList()),
        P.Match.MatchValueOneofCase.Prefix => new C.MatchPrefix(m.Prefix),
        _ => throw GrpcInput.Invalid("match: one of its variants must be set"),
    };

    private static C.GeoPoint Geo(P.GeoPoint? p, string what)
    {
        if (p is null) throw GrpcInput.Invalid($"{what}: a geo point is required");
        if (p.Lon is < -180 or > 180) throw GrpcInput.Invalid($"{what}.lon: value {p.Lon} invalid, must be from -180 to 180");
        if (p.Lat is < -90 or > 90) throw GrpcInput.Invalid($"{what}.lat: value {p.Lat} invalid, must be from -90 to 90");
        return new C.GeoPoint(p.Lon, p.Lat);
    }

    private static C.GeoLineString Ring(P.GeoLineString? ring, string what)
    {
        if (ring is null) throw GrpcInput.Invalid($"geo_polygon.{what}: a ring is required");
        var points = ring.Points.Select(p => Geo(p, what)).ToList();
        if (points.Count < 4) throw GrpcInput.Invalid($"geo_polygon.{what}: a polygon ring needs at least 4 points, got {points.Count}");
        if (points[0] != points[^1]) throw GrpcInput.Invalid($"geo_polygon.{what}: the first and the last point of a ring must be the same");
        return new C.GeoLineString(points);
    }

    /// <summary>A filter that also requires <c>has_id</c> (ids + filter given together must both hold).</summary>
    public static C.Filter WithIds(C.Filter filter, IReadOnlyList<PointId> ids) => new()
    {
        Must = [new C.HasIdCondition(ids.ToHashSet()), new C.FilterCondition(filter)],
    };
}
