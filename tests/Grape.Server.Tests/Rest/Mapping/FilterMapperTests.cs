using System.Text.Json;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Server.Errors;
using Grape.Server.Rest.Mapping;

namespace Grape.Server.Tests.Rest.Mapping;

public sealed class FilterMapperTests
{
    private static Filter Parse(string json) => FilterMapper.Parse(JsonDocument.Parse(json).RootElement, "filter");

    private static RequestException Fails(string json) => Assert.Throws<RequestException>(() => Parse(json));

    [Fact]
    public void Maps_every_condition_kind()
    {
        var f = Parse("""
            {"must": [
              {"key": "city", "match": {"value": "London"}},
              {"key": "n", "match": {"value": 5}},
              {"key": "ok", "match": {"value": true}},
              {"key": "tags", "match": {"any": ["a", "b"]}},
              {"key": "ids", "match": {"except": [1, 2]}},
              {"key": "t", "match": {"text": "hello world"}},
              {"key": "t", "match": {"text_any": "hello"}},
              {"key": "t", "match": {"phrase": "hello world"}},
              {"key": "price", "range": {"gte": 1.5, "lt": 10}},
              {"key": "at", "range": {"gt": "2024-01-01T00:00:00Z"}},
              {"key": "loc", "geo_radius": {"center": {"lon": 1, "lat": 2}, "radius": 100}},
              {"key": "loc", "geo_bounding_box": {"top_left": {"lon": 0, "lat": 10}, "bottom_right": {"lon": 10, "lat": 0}}},
              {"key": "loc", "geo_polygon": {"exterior": {"points": [{"lon":0,"lat":0},{"lon":1,"lat":0},{"lon":1,"lat":1},{"lon":0,"lat":0}]}}},
              {"key": "arr", "values_count": {"gte": 2}},
              {"is_empty": {"key": "e"}},
              {"is_null": {"key": "z"}},
              {"has_id": [1, "550e8400-e29b-41d4-a716-446655440000"]},
              {"has_vector": "image"},
              {"nested": {"key": "items", "filter": {"must": {"key": "x", "match": {"value": 1}}}}},
              {"should": [{"key": "a", "match": {"value": "b"}}]}
            ],
            "must_not": {"key": "deleted", "match": {"value": true}},
            "min_should": {"conditions": [{"key": "q", "match": {"value": 1}}], "min_count": 1}}
            """);
        var must = f.Must!;
        Assert.Equal(20, must.Count);
        Assert.Equal(MatchScalar.Of("London"), ((MatchValue)((FieldCondition)must[0]).Match!).Value);
        Assert.Equal(MatchScalar.Of(5L), ((MatchValue)((FieldCondition)must[1]).Match!).Value);
        Assert.Equal(MatchScalar.Of(true), ((MatchValue)((FieldCondition)must[2]).Match!).Value);
        Assert.Equal(2, ((MatchAny)((FieldCondition)must[3]).Match!).Values.Count);
        Assert.IsType<MatchExcept>(((FieldCondition)must[4]).Match);
        Assert.IsType<MatchText>(((FieldCondition)must[5]).Match);
        Assert.IsType<MatchTextAny>(((FieldCondition)must[6]).Match);
        Assert.IsType<MatchPhrase>(((FieldCondition)must[7]).Match);
        Assert.Equal(1.5, ((FieldCondition)must[8]).Range!.Gte);
        Assert.Equal(10, ((FieldCondition)must[8]).Range!.Lt);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), ((FieldCondition)must[9]).DatetimeRange!.Gt);
        Assert.Equal(100, ((FieldCondition)must[10]).GeoRadius!.Radius);
        Assert.Equal(new GeoPoint(0, 10), ((FieldCondition)must[11]).GeoBoundingBox!.TopLeft);
        Assert.Equal(4, ((FieldCondition)must[12]).GeoPolygon!.Exterior.Points.Count);
        Assert.Equal(2, ((FieldCondition)must[13]).ValuesCount!.Gte);
        Assert.Equal("e", ((IsEmptyCondition)must[14]).Key);
        Assert.Equal("z", ((IsNullCondition)must[15]).Key);
        Assert.Contains(PointId.FromNumber(1), ((HasIdCondition)must[16]).Ids);
        Assert.Contains(PointId.FromUuid(Guid.Parse("550e8400-e29b-41d4-a716-446655440000")), ((HasIdCondition)must[16]).Ids);
        Assert.Equal("image", ((HasVectorCondition)must[17]).Vector);
        Assert.Equal("items", ((NestedCondition)must[18]).Key);
        Assert.Single(((FilterCondition)must[19]).Filter.Should!);
        Assert.Single(f.MustNot!);
        Assert.Equal(1, f.MinShould!.MinCount);
    }

    [Theory]
    [InlineData("""{"must": 5}""", 400, "filter.must")]
    [InlineData("""{"must": [{"key": "a", "match": {"value": 1.5}}]}""", 400, "filter.must[0].match.value")]
    [InlineData("""{"must": [{"key": "a"}]}""", 422, "at least one field condition")]
    [InlineData("""{"must": [{"key": "a", "match": {"value": 1}, "range": {"gt": 1}}]}""", 422, "only one field condition")]
    [InlineData("""{"must": [{"key": "a", "match": {"any": ["x", 1]}}]}""", 400, "only strings or only integers")]
    [InlineData("""{"must": [{"key": 5, "match": {"value": 1}}]}""", 400, "filter.must[0].key")]
    [InlineData("""{"musst": []}""", 400, "unknown field `musst`")]
    [InlineData("""{"must": [{"foo": {}}]}""", 400, "unknown condition `foo`")]
    [InlineData("""{"must": [{"key": "g", "geo_radius": {"center": {"lon": 500, "lat": 0}, "radius": 1}}]}""", 422, "lon")]
    [InlineData("""{"must": [{"key": "d", "range": {"gt": "yesterday"}}]}""", 400, "RFC 3339")]
    [InlineData("""{"min_should": {"conditions": [], "min_count": 0}}""", 422, "min_count")]
    [InlineData("""[1, 2]""", 400, "expected a filter object")]
    [InlineData("""{"must": [{"has_id": ["not-a-uuid"]}]}""", 400, "invalid point id")]
    [InlineData("""{"must": [{"key": "a", "match": {"prefix": 5}}]}""", 400, "filter.must[0].match.prefix")]
    public void Bad_shapes_name_the_problem(string json, int status, string fragment)
    {
        var e = Fails(json);
        Assert.Equal(status, e.StatusCode);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Match_prefix_is_parsed()
    {
        var f = Parse("""{"must": [{"key": "city", "match": {"prefix": "Ber"}}]}""");
        var c = Assert.IsType<FieldCondition>(Assert.Single(f.Must!));
        Assert.Equal("Ber", Assert.IsType<MatchPrefix>(c.Match).Prefix);
    }

    [Fact]
    public void An_empty_object_condition_is_an_empty_filter()
    {
        var f = Parse("""{"must": [{}]}""");
        Assert.IsType<FilterCondition>(Assert.Single(f.Must!));
    }
}
