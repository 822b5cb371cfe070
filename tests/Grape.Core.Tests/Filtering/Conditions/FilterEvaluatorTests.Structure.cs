using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Tests.Filtering.Conditions;

public partial class FilterEvaluatorTests
{
    private const string Berlin = "{'location':{'lon':13.404954,'lat':52.520008}}";
    private static readonly GeoBoundingBox BerlinBox = new(new GeoPoint(13.08835, 52.67551), new GeoPoint(13.76116, 52.33826));
    private static readonly GeoBoundingBox MoscowBox = new(new GeoPoint(37.0366, 56.1859), new GeoPoint(38.2532, 55.317));
    private static GeoLineString Ring(params (double Lon, double Lat)[] pts) => new([.. pts.Select(p => new GeoPoint(p.Lon, p.Lat))]);
    private static readonly GeoPolygon SquareWithHole = new(
        Ring((0, 0), (10, 0), (10, 10), (0, 10), (0, 0)),
        [Ring((4, 4), (6, 4), (6, 6), (4, 6), (4, 4))]);
    private static string At(double lon, double lat) => $"{{'g':{{'lon':{lon},'lat':{lat}}}}}";

    public static TheoryData<string, Condition, bool> Geo => new()
    {
        { Berlin, new FieldCondition("location") { GeoBoundingBox = BerlinBox }, true },
        { Berlin, new FieldCondition("location") { GeoBoundingBox = MoscowBox }, false },
        // a box whose left edge is east of its right edge wraps the antimeridian
        { At(179, 0), new FieldCondition("g") { GeoBoundingBox = new(new GeoPoint(170, 10), new GeoPoint(-170, -10)) }, true },
        { At(0, 0), new FieldCondition("g") { GeoBoundingBox = new(new GeoPoint(170, 10), new GeoPoint(-170, -10)) }, false },
        { At(0, 0), new FieldCondition("g") { GeoBoundingBox = new(new GeoPoint(0, 10), new GeoPoint(10, -10)) }, false }, // edges excluded
        // Qdrant's own case: an array of points matches if one is near
        { "{'g':[{'lat':52.52197645,'lon':13.413637435864272},{'lat':55.7536283,'lon':37.62137960067377}]}",
            new FieldCondition("g") { GeoRadius = new(new GeoPoint(13.413637, 52.521976), 2000) }, true },
        { "{'g':[{'lat':52.52197645,'lon':13.413637435864272},{'lat':55.7536283,'lon':37.62137960067377}]}",
            new FieldCondition("g") { GeoRadius = new(new GeoPoint(20.423637, 52.511), 2000) }, false },
        // one degree of latitude is 111,195 m on the mean-radius sphere
        { At(0, 1), new FieldCondition("g") { GeoRadius = new(new GeoPoint(0, 0), 111_100) }, false },
        { At(0, 1), new FieldCondition("g") { GeoRadius = new(new GeoPoint(0, 0), 111_300) }, true },
        { At(2, 2), new FieldCondition("g") { GeoPolygon = SquareWithHole }, true },
        { At(5, 5), new FieldCondition("g") { GeoPolygon = SquareWithHole }, false },   // in the hole
        { At(4, 5), new FieldCondition("g") { GeoPolygon = SquareWithHole }, false },   // on the hole's edge
        { At(0, 5), new FieldCondition("g") { GeoPolygon = SquareWithHole }, false },   // on the boundary
        { At(11, 5), new FieldCondition("g") { GeoPolygon = SquareWithHole }, false },
        { At(9.5, 9.5), new FieldCondition("g") { GeoPolygon = SquareWithHole }, true },
        { "{'g':{'lon':1}}", new FieldCondition("g") { GeoRadius = new(new GeoPoint(1, 0), 1e7) }, false },
        { "{'g':'1,1'}", new FieldCondition("g") { GeoRadius = new(new GeoPoint(1, 1), 1e7) }, false },
    };

    [Theory, MemberData(nameof(Geo))]
    public void Geo_box_radius_and_polygon(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    private static FieldCondition Count(string key, int? gt = null, int? gte = null, int? lt = null, int? lte = null) =>
        new(key) { ValuesCount = new ValuesCount { Gt = gt, Gte = gte, Lt = lt, Lte = lte } };

    public static TheoryData<string, Condition, bool> ValuesCounts => new()
    {
        { "{'r':[3,7,9,9]}", Count("r", lt: 5), true },
        { "{'r':[3,7,9,9]}", Count("r", gte: 10), false },
        { "{'r':[3,7,9,9]}", Count("r", gte: 4, lte: 4), true },
        { "{'r':'x'}", Count("r", gte: 1, lte: 1), true },           // a scalar counts 1
        { "{'r':{'a':1,'b':2}}", Count("r", gt: 1), false },         // so does an object
        { "{'r':null}", Count("r", lt: 1), true },                   // null counts 0
        { "{}", Count("r", lt: 1), true },                           // a missing key counts 0
        { "{}", Count("r", gte: 1), false },
        { "{'r':[]}", Count("r", gt: 0), false },
        { "{'a':[{'r':[1,2]},{'r':[1]}]}", Count("a[].r", gt: 1), true }, // per value at the path, any
    };

    [Theory, MemberData(nameof(ValuesCounts))]
    public void Values_count(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    public static TheoryData<string, Condition, bool> EmptyAndNull => new()
    {
        { "{}", new IsEmptyCondition("a"), true },
        { "{'a':null}", new IsEmptyCondition("a"), true },
        { "{'a':[]}", new IsEmptyCondition("a"), true },
        { "{'a':[null]}", new IsEmptyCondition("a"), false },
        { "{'a':''}", new IsEmptyCondition("a"), false },
        { "{'a':{}}", new IsEmptyCondition("a"), false },
        { "{'a':0}", new IsEmptyCondition("a"), false },
        { "{'a':[{'b':null},{'d':[]}]}", new IsEmptyCondition("a[].b"), true },   // every value empty
        { "{'a':[{'b':1},{'b':null}]}", new IsEmptyCondition("a[].b"), false },
        { "{'a':null}", new IsNullCondition("a"), true },
        { "{}", new IsNullCondition("a"), false },
        { "{'a':[]}", new IsNullCondition("a"), false },
        { "{'a':[null]}", new IsNullCondition("a"), false },   // Qdrant: an array holding null is not null
        { "{'a':1}", new IsNullCondition("a"), false },
        { "{'a':[{'b':1},{'b':null}]}", new IsNullCondition("a[].b"), true },  // any value null
        // the field-condition spellings follow FieldCondition::check, which differs for arrays
        { "{'a':[null]}", new FieldCondition("a") { IsNull = true }, true },
        { "{}", new FieldCondition("a") { IsNull = false }, true },
        { "{'a':[null,1]}", new FieldCondition("a") { IsNull = false }, false },
        { "{}", new FieldCondition("a") { IsEmpty = true }, true },
        { "{}", new FieldCondition("a") { IsEmpty = false }, false },
        { "{'a':[1]}", new FieldCondition("a") { IsEmpty = false }, true },
        { "{'a':[{'b':1},{'b':null}]}", new FieldCondition("a[].b") { IsEmpty = true }, true },
    };

    [Theory, MemberData(nameof(EmptyAndNull))]
    public void Is_empty_and_is_null(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    [Fact]
    public void Has_id_and_has_vector()
    {
        var uuid = Guid.Parse("550e8400-e29b-41d4-a716-446655440000");
        var hasId = FilterEvaluator.Compile(Filter.MustAll(new HasIdCondition(new HashSet<PointId> { 1UL, 2UL, uuid })));
        Assert.True(hasId.Matches(new TestPoint(2UL, "{}")));
        Assert.True(hasId.Matches(new TestPoint(uuid, "{}")));
        Assert.False(hasId.Matches(new TestPoint(10UL, "{}")));

        var notId = FilterEvaluator.Compile(new Filter { MustNot = [new HasIdCondition(new HashSet<PointId> { 1UL })] });
        Assert.False(notId.Matches(new TestPoint(1UL, "{}")));
        Assert.True(notId.Matches(new TestPoint(3UL, "{}")));

        var hasVec = FilterEvaluator.Compile(Filter.MustAll(new HasVectorCondition("image"), new HasVectorCondition("")));
        Assert.True(hasVec.Matches(new TestPoint(1UL, "{}", "image", "")));
        Assert.False(hasVec.Matches(new TestPoint(1UL, "{}", "")));
        Assert.False(hasVec.Matches(new TestPoint(1UL, "{}", "text")));
    }

    [Fact]
    public void Id_and_vector_only_filters_never_read_the_payload()
    {
        // Not JSON: parsing it would throw StorageCorruptedException.
        var ev = FilterEvaluator.Compile(new Filter
        {
            Must = [new HasIdCondition(new HashSet<PointId> { 1UL })],
            Should = [new HasVectorCondition("v"), new FilterCondition(new Filter { MustNot = [new HasVectorCondition("w")] })],
        });
        Assert.False(ev.ReadsPayload);
        Assert.True(ev.Matches(new TestPoint(1UL, "not json", "v")));
        Assert.False(ev.Matches(new TestPoint(2UL, "not json", "v")));
    }

    [Fact]
    public void The_payload_is_parsed_only_when_a_payload_condition_is_reached()
    {
        var ev = FilterEvaluator.Compile(Filter.MustAll(new HasIdCondition(new HashSet<PointId> { 1UL }), Match("a", 1)));
        Assert.True(ev.ReadsPayload);
        Assert.False(ev.Matches(new TestPoint(2UL, "not json"))); // has_id failed first
        Assert.Throws<StorageCorruptedException>(() => ev.Matches(new TestPoint(1UL, "not json")));
        Assert.True(ev.Matches(new TestPoint(1UL, "{\"a\":1}")));
    }

    private const string Diet = "{'diet':[{'food':'meat','likes':false},{'food':'fish','likes':true}]}";
    private static Filter MeatLover => Filter.MustAll(Match("food", "meat"), Match("likes", true));

    public static TheoryData<string, Condition, bool> Nested => new()
    {
        // flat conditions over diet[] can be satisfied by different elements ...
        { Diet, new FilterCondition(Filter.MustAll(Match("diet[].food", "meat"), Match("diet[].likes", true))), true },
        // ... nested needs one element to satisfy the whole inner filter
        { Diet, new NestedCondition("diet", MeatLover), false },
        { Diet, new NestedCondition("diet[]", Filter.MustAll(Match("food", "fish"), Match("likes", true))), true },
        { Diet, new NestedCondition("diet", new Filter { MustNot = [Match("likes", true)] }), true },  // the meat element
        { Diet, new NestedCondition("diet", Filter.MustAll(new IsEmptyCondition("tags"))), true },
        { "{'diet':[{'tags':['x']},{'tags':[]}]}", new NestedCondition("diet", Filter.MustAll(new IsEmptyCondition("tags"))), true },
        { "{'diet':[{'tags':['x']}]}", new NestedCondition("diet", Filter.MustAll(new IsEmptyCondition("tags"))), false },
        { "{'diet':[{'tags':null}]}", new NestedCondition("diet", Filter.MustAll(new IsNullCondition("tags"))), true },
        { "{'diet':{'food':'meat','likes':true}}", new NestedCondition("diet", MeatLover), false }, // not an array
        { "{'diet':[1,{'food':'meat','likes':true}]}", new NestedCondition("diet", MeatLover), true }, // non-objects skipped
        { "{'a':{'b':[{'c':[{'d':1}]}]}}", new NestedCondition("a.b", Filter.MustAll(new NestedCondition("c", Filter.MustAll(Match("d", 1))))), true },
        // has_id / has_vector are not supported inside nested: they never match
        { Diet, new NestedCondition("diet", Filter.MustAll(new HasIdCondition(new HashSet<PointId> { 1UL }))), false },
        // inside nested, Qdrant's plain checker treats an empty should as unsatisfiable
        { Diet, new NestedCondition("diet", new Filter { Should = [] }), false },
        { "{}", new NestedCondition("diet", new Filter()), false },
        { Diet, new NestedCondition("diet", new Filter()), true },
    };

    [Theory, MemberData(nameof(Nested))]
    public void Nested_conditions(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    private static bool EvalFilter(string json, Filter f) => FilterEvaluator.Compile(f).Matches(TestPoint.Of(json));

    [Fact]
    public void Clauses_and_empty_lists()
    {
        const string p = "{'a':1,'b':'x'}";
        Assert.True(EvalFilter(p, new Filter()));
        Assert.True(EvalFilter(p, new Filter { Must = [], MustNot = [] }));
        Assert.True(EvalFilter(p, new Filter { Should = [] }));   // no constraint (Qdrant's optimized filter, gRPC)
        Assert.True(EvalFilter(p, new Filter { Should = [Match("a", 2), Match("b", "x")] }));
        Assert.False(EvalFilter(p, new Filter { Should = [Match("a", 2), Match("b", "y")] }));
        Assert.False(EvalFilter(p, new Filter { MustNot = [Match("a", 2), Match("b", "x")] }));
        Assert.True(EvalFilter(p, new Filter { MustNot = [Match("a", 2), Match("b", "y")] }));
        Assert.False(EvalFilter(p, new Filter { Must = [Match("a", 1)], Should = [Match("b", "y")] }));
    }

    [Fact]
    public void Min_should_counts_matching_conditions()
    {
        const string p = "{'a':1,'b':'x','c':true}";
        var conds = new Condition[] { Match("a", 1), Match("b", "y"), Match("c", true) };
        Assert.True(EvalFilter(p, new Filter { MinShould = new MinShould(conds, 2) }));
        Assert.False(EvalFilter(p, new Filter { MinShould = new MinShould(conds, 3) }));
        Assert.False(EvalFilter(p, new Filter { MinShould = new MinShould(conds, 4) }));
        Assert.True(EvalFilter(p, new Filter { MinShould = new MinShould(conds, 1), Must = [Match("a", 1)] }));
        Assert.Throws<BadRequestException>(() => FilterEvaluator.Compile(new Filter { MinShould = new MinShould(conds, 0) }));
    }

    [Fact]
    public void Filters_nest_twelve_levels_deep()
    {
        // Level k alternates must / must_not around the level below, so the truth flips with each must_not.
        static Filter Build(int depth, Condition leaf) =>
            depth == 0 ? Filter.MustAll(leaf)
            : depth % 2 == 0 ? Filter.MustAll(new FilterCondition(Build(depth - 1, leaf)))
            : new Filter { MustNot = [new FilterCondition(Build(depth - 1, leaf))], Should = [Match("z", 0), new FilterCondition(new Filter())] };
        var deep = Build(12, Match("a", 1)); // six must_not levels: even, so the leaf's truth is kept
        Assert.True(EvalFilter("{'a':1}", deep));
        Assert.False(EvalFilter("{'a':2}", deep));
        var odd = Build(13, Match("a", 1)); // seven must_not levels: the truth flips
        Assert.False(EvalFilter("{'a':1}", odd));
        Assert.True(EvalFilter("{'a':2}", odd));
    }

    public static TheoryData<string, Filter> Invalid => new()
    {
        { "size must be at least 4", Filter.MustAll(new FieldCondition("g") { GeoPolygon = new(Ring((0, 0), (1, 0), (0, 0))) }) },
        { "closed line", Filter.MustAll(new FieldCondition("g") { GeoPolygon = new(Ring((0, 0), (1, 0), (1, 1), (0, 1))) }) },
        { "interiors[0]", Filter.MustAll(new FieldCondition("g") { GeoPolygon = new(SquareWithHole.Exterior, [Ring((4, 4), (6, 4), (6, 6), (4, 6))]) }) },
        { "radius", Filter.MustAll(new FieldCondition("g") { GeoRadius = new(new GeoPoint(0, 0), -1) }) },
        { "lat", Filter.MustAll(new FieldCondition("g") { GeoRadius = new(new GeoPoint(0, 91), 1) }) },
        { "empty", Filter.MustAll(new IsEmptyCondition("")) },
        { "`a..b`", Filter.MustAll(Match("a..b", 1)) },
        { "`x y`", new Filter { Should = [new NestedCondition("ok", Filter.MustAll(new IsNullCondition("x y")))] } },
        { "`[0]`", new Filter { MustNot = [new NestedCondition("[0]", new Filter())] } },
        { "not a mix", Filter.MustAll(Field("c", new MatchAny(["a", 1L]))) },
        { "not a mix", Filter.MustAll(Field("c", new MatchExcept([1L, "a"]))) },
        { "not booleans", Filter.MustAll(Field("c", new MatchAny([true]))) },
        { "at least one field condition", Filter.MustAll(new FieldCondition("c")) },
        { "min_count", new Filter { MinShould = new MinShould([], -1) } },
    };

    [Theory, MemberData(nameof(Invalid))]
    public void Compile_rejects_invalid_filters_with_a_clear_message(string expectedText, Filter filter)
    {
        var e = Assert.Throws<BadRequestException>(() => FilterEvaluator.Compile(filter));
        Assert.Contains(expectedText, e.Message);
    }

    [Fact]
    public void A_compiled_filter_is_reused_across_points_and_threads()
    {
        var ev = FilterEvaluator.Compile(Filter.MustAll(new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Gte = 500 } }));
        int matched = 0;
        Parallel.For(0, 1000, i =>
        {
            if (ev.Matches(new TestPoint((ulong)i, $"{{\"n\":{i},\"pad\":[{i},{{\"x\":\"{new string('y', i % 50)}\"}}]}}")))
                Interlocked.Increment(ref matched);
        });
        Assert.Equal(500, matched);
    }

    [Fact]
    public void Matching_a_point_allocates_nothing_once_warm()
    {
        var ev = FilterEvaluator.Compile(new Filter
        {
            Must = [Match("a.b", "x"), new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Gte = 1 } }],
            Should = [new NestedCondition("items", Filter.MustAll(Field("t", new MatchText("fox")))), new HasVectorCondition("v")],
            MustNot = [new IsNullCondition("z"), Field("k", new MatchAny(Many))],
        });
        var points = Enumerable.Range(0, 64).Select(i => TestPoint.Of(
            $"{{'a':{{'b':'x'}},'n':{i},'items':[{{'t':'a \\u0066ox {i}'}}],'k':'k{i}','z':1}}")).ToArray();
        int matched = 0;
        foreach (var p in points) if (ev.Matches(p)) matched++; // warm up: the per-thread tape grows here
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
            foreach (var p in points) if (ev.Matches(p)) matched++;
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(11 * 44, matched); // n >= 1 and k not among k0..k19: n in 20..63
    }
}
