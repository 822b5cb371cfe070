using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Core.Query;

namespace Grape.Core.Tests.Query;

/// <summary>Each operator on one prefetched point (score 0.5 from a Dot query of [0.5] against [1]).</summary>
public class FormulaTests : IDisposable
{
    private readonly GrapeDatabase _db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });

    public FormulaTests()
    {
        _db.CreateCollection("c", CreateCollectionRequest.Single(1, Distance.Dot));
        _db.Upsert("c", [new PointStruct(1, [1f], new JsonObject
        {
            ["x"] = 4.0, ["zero"] = 0, ["text"] = "a", ["arr"] = new JsonArray(7), ["many"] = new JsonArray(1, 2),
            ["when"] = "2024-01-02T00:00:00Z", ["loc"] = new JsonObject { ["lon"] = 13.4, ["lat"] = 52.52 },
        })]);
    }

    public void Dispose() => _db.Dispose();

    private float Eval(Expression e, IReadOnlyDictionary<string, JsonNode?>? defaults = null)
    {
        var r = _db.Query("c", new QueryRequest
        {
            Prefetches = [new Prefetch { Query = new ScoringQuery.Nearest(new[] { 0.5f }) }],
            Query = new ScoringQuery.Formula(e) { Defaults = defaults ?? new Dictionary<string, JsonNode?>() },
        });
        return Assert.Single(r).Score;
    }

    private string Fails(Expression e, IReadOnlyDictionary<string, JsonNode?>? defaults = null) =>
        Assert.Throws<BadRequestException>(() => Eval(e, defaults)).Message;

    [Fact]
    public void Arithmetic_operators_follow_their_definitions()
    {
        Assert.Equal(0.5f, Eval("$score"));
        Assert.Equal(0.5f, Eval("$score[0]"));
        Assert.Equal(6f, Eval(new Expression.Mult([3.0, "x", "$score"])));
        Assert.Equal(7.5f, Eval(new Expression.Sum([3.0, "x", "$score"])));
        Assert.Equal(-4f, Eval(new Expression.Neg("x")));
        Assert.Equal(4f, Eval(new Expression.Abs(new Expression.Neg("x"))));
        Assert.Equal(2f, Eval(new Expression.Sqrt("x")));
        Assert.Equal(64f, Eval(new Expression.Pow("x", 3.0)));
        Assert.Equal((float)Math.Exp(4), Eval(new Expression.Exp("x")), 1e-3f);
        Assert.Equal((float)Math.Log10(4), Eval(new Expression.Log10("x")), 1e-6f);
        Assert.Equal((float)Math.Log(4), Eval(new Expression.Ln("x")), 1e-6f);
        Assert.Equal(8f, Eval(new Expression.Div("x", "$score")));
    }

    [Fact]
    public void Division_by_zero_uses_the_default_or_fails_and_a_zero_numerator_wins()
    {
        Assert.Equal(-1f, Eval(new Expression.Div("x", "zero", ByZeroDefault: -1f)));
        Assert.Equal("Wrong input: The expression 4/0 = inf produced a non-finite number", Fails(new Expression.Div("x", "zero")));
        Assert.Equal(0f, Eval(new Expression.Div("zero", "zero")));
        Assert.Contains("ln(0) = -inf", Fails(new Expression.Ln("zero")));
        Assert.Contains("√-4 = NaN", Fails(new Expression.Sqrt(new Expression.Neg("x"))));
    }

    [Fact]
    public void Missing_payload_uses_defaults_or_fails_and_missing_scores_are_zero()
    {
        Assert.Equal("Wrong input: Expected number value for nope in the payload and/or in the formula defaults. Error: No value found in a payload nor defaults",
            Fails(new Expression.Sum(["nope", 1.0])));
        Assert.Equal(3f, Eval(new Expression.Sum(["nope", 1.0]), new Dictionary<string, JsonNode?> { ["nope"] = 2 }));
        Assert.Contains("Error: Value is not a number", Fails("text"));
        Assert.Contains("Error: Value is not a number", Fails("many"));
        Assert.Equal(7f, Eval("arr")); // a one-element array is its element
        Assert.Equal(0f, Eval("$score[3]"));
        Assert.Equal(9f, Eval("$score[3]", new Dictionary<string, JsonNode?> { ["$score[3]"] = 9 }));
        Assert.Equal(0f, Eval(new Expression.Mult([0.0, "nope"]))); // multiplication stops at zero
    }

    [Fact]
    public void Nested_payload_paths_read_numbers_and_missing_values_as_the_full_path_rules_do()
    {
        Assert.Equal(13.4f, Eval("loc.lon"), 1e-5f);
        Assert.Equal(5f, Eval("loc.nope", new Dictionary<string, JsonNode?> { ["loc.nope"] = 5 }));
        Assert.Contains("No value found", Fails("loc.nope"));
        Assert.Contains("No value found", Fails("text.deeper")); // a step through a string finds nothing
        Assert.Contains("No value found", Fails("arr.deeper")); // a key step through an array finds nothing
        Assert.Contains("Value is not a number", Fails("loc")); // an object is no number
        Assert.Contains("Value is not a number", Fails("nope", new Dictionary<string, JsonNode?> { ["nope"] = "a" }));
        Assert.Equal(7f, Eval("arr[0]"));
        Assert.Equal(2f, Eval("many[1]"));
    }

    [Fact]
    public void Conditions_decays_geo_and_datetimes()
    {
        Assert.Equal(1f, Eval(new Expression.ConditionValue(new FieldCondition("text") { Match = new MatchValue("a") })));
        Assert.Equal(0f, Eval(new Expression.ConditionValue(new FieldCondition("text") { Match = new MatchValue("b") })));
        // Each decay equals the midpoint at |x − target| = scale.
        Assert.Equal(0.5f, Eval(new Expression.Decay(DecayKind.Lin, "x") { Target = 2.0, Scale = 2 }), 1e-6f);
        Assert.Equal(0.5f, Eval(new Expression.Decay(DecayKind.Exp, "x") { Target = 2.0, Scale = 2 }), 1e-6f);
        Assert.Equal(0.25f, Eval(new Expression.Decay(DecayKind.Gauss, "x") { Target = 2.0, Scale = 2, Midpoint = 0.25f }), 1e-6f);
        Assert.Equal(0f, Eval(new Expression.Decay(DecayKind.Lin, "x") { Scale = 1 })); // lin bottoms out at 0
        Assert.Contains("Decay midpoint should be in the range (0.0, 1.0), got 1.", Fails(new Expression.Decay(DecayKind.Exp, "x") { Midpoint = 1 }));
        Assert.Contains("Decay scale should be non-zero positive", Fails(new Expression.Decay(DecayKind.Gauss, "x") { Scale = 0 }));
        // Berlin → Paris is about 878 km.
        Assert.InRange(Eval(new Expression.GeoDistance(new GeoPoint(2.35, 48.8566), "loc")), 870_000f, 885_000f);
        Assert.Equal(86400f, Eval(new Expression.Sum([new Expression.DatetimeKey("when"), new Expression.Neg(new Expression.Datetime("2024-01-01T00:00:00Z"))])));
    }
}
