using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Range = Grape.Core.Filtering.Model.Range;

namespace Grape.Core.Tests.Filtering.Conditions;

/// <summary>Qdrant's condition semantics, one table per rule: (payload, condition, expected).</summary>
public partial class FilterEvaluatorTests
{
    private static bool Eval(string json, Condition condition) =>
        FilterEvaluator.Compile(Filter.MustAll(condition)).Matches(TestPoint.Of(json));

    private static FieldCondition Match(string key, MatchScalar v) => new(key) { Match = new MatchValue(v) };
    private static FieldCondition Field(string key, Match m) => new(key) { Match = m };

    public static TheoryData<string, Condition, bool> KeyPaths => new()
    {
        { "{'a':1}", Match("a", 1), true },
        { "{'a':{'b':{'c':'x'}}}", Match("a.b.c", "x"), true },
        { "{'a':{'b':{}}}", Match("a.b.c", "x"), false },
        { "{'a':{'b':5}}", Match("a.b.c", "x"), false },
        // a[].b reads b of every element
        { "{'a':[{'b':1},{'b':2}]}", Match("a[].b", 2), true },
        { "{'a':[{'b':1},{'c':2}]}", Match("a[].b", 2), false },
        // .b does not step through an array without []
        { "{'a':[{'b':1}]}", Match("a.b", 1), false },
        { "{'a':[1,2]}", Match("a[]", 2), true },
        { "{'a':[1,2]}", Match("a[1]", 2), true },
        { "{'a':[1,2]}", Match("a[0]", 2), false },
        { "{'a':[1,2]}", Match("a[2]", 2), false },
        { "{'a':[{'b':[7,8]}]}", Match("a[0].b[1]", 8), true },
        // quoted keys hold dots
        { "{'a.b':{'c':1}}", Match("\"a.b\".c", 1), true },
        { "{'a':{'b':{'c':1}}}", Match("\"a.b\".c", 1), false },
        // an array value matches if any element does; arrays inside arrays are not flattened
        { "{'a':[1,2,3]}", Match("a", 3), true },
        { "{'a':[[1]]}", Match("a", 1), false },
        { "{'a':[[1]]}", Match("a[]", 1), true },
        // escaped property names and strings are compared unescaped; the last duplicate wins
        { "{'caf\\u00e9':'\\u0078'}", Match("café", "x"), true },
        { "{'a':1,'a':2}", Match("a", 2), true },
        { "{'a':1,'a':2}", Match("a", 1), false },
        { "{}", Match("a", 1), false },
    };

    [Theory, MemberData(nameof(KeyPaths))]
    public void Key_paths(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    [Fact]
    public void A_point_without_payload_has_no_values()
    {
        var ev = FilterEvaluator.Compile(Filter.MustAll(new IsEmptyCondition("a"), new FieldCondition("a") { Match = new MatchValue(1) }));
        Assert.False(ev.Matches(new TestPoint(1UL, null)));
        Assert.True(FilterEvaluator.Compile(Filter.MustAll(new IsEmptyCondition("a"))).Matches(new TestPoint(1UL, null)));
    }

    public static TheoryData<string, Condition, bool> MatchValues => new()
    {
        { "{'c':'red'}", Match("c", "red"), true },
        { "{'c':'Red'}", Match("c", "red"), false },
        { "{'c':'reddish'}", Match("c", "red"), false },
        { "{'c':['blue','red']}", Match("c", "red"), true },
        { "{'c':null}", Match("c", "red"), false },
        { "{'n':1}", Match("n", 1), true },
        { "{'n':-7}", Match("n", -7), true },
        { "{'n':1.5}", Match("n", 1), false },
        { "{'n':1.0}", Match("n", 1), false },      // serde_json reads 1.0 as a float: as_i64 is None
        { "{'n':1e0}", Match("n", 1), false },
        { "{'n':'1'}", Match("n", 1), false },
        { "{'n':9223372036854775808}", Match("n", long.MinValue), false },
        { "{'b':true}", Match("b", true), true },
        { "{'b':false}", Match("b", true), false },
        { "{'b':'true'}", Match("b", true), false },
        { "{'b':1}", Match("b", true), false },
    };

    [Theory, MemberData(nameof(MatchValues))]
    public void Match_value(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    private static readonly MatchScalar[] Many = [.. Enumerable.Range(0, 20).Select(i => MatchScalar.Of($"k{i}"))];

    public static TheoryData<string, Condition, bool> AnyExcept => new()
    {
        { "{'c':'b'}", Field("c", new MatchAny(["a", "b"])), true },
        { "{'c':'z'}", Field("c", new MatchAny(["a", "b"])), false },
        { "{'c':['z','a']}", Field("c", new MatchAny(["a", "b"])), true },
        { "{'c':'k17'}", Field("c", new MatchAny(Many)), true },   // the hashed set path
        { "{'c':'k20'}", Field("c", new MatchAny(Many)), false },
        { "{'n':2}", Field("n", new MatchAny([1L, 2L])), true },
        { "{'n':2.0}", Field("n", new MatchAny([1L, 2L])), false },
        { "{'n':'2'}", Field("n", new MatchAny([1L, 2L])), false },
        { "{'c':'a'}", Field("c", new MatchAny([])), false },
        // except: asymmetric per Qdrant's table
        { "{'c':'b'}", Field("c", new MatchExcept(["a"])), true },
        { "{'c':'a'}", Field("c", new MatchExcept(["a"])), false },
        { "{'c':'k3'}", Field("c", new MatchExcept(Many)), false },
        { "{}", Field("c", new MatchExcept(["a"])), false },      // a missing key never matches
        { "{'c':null}", Field("c", new MatchExcept(["a"])), false },
        { "{'c':[]}", Field("c", new MatchExcept(["a"])), false },  // no element to match
        { "{'c':['a','b']}", Field("c", new MatchExcept(["a"])), true },
        { "{'c':['a']}", Field("c", new MatchExcept(["a"])), false },
        { "{'c':5}", Field("c", new MatchExcept(["a"])), true },
        { "{'c':true}", Field("c", new MatchExcept(["a"])), true },
        { "{'c':{'x':1}}", Field("c", new MatchExcept(["a"])), true },
        { "{'n':1}", Field("n", new MatchExcept([1L])), false },
        { "{'n':1.5}", Field("n", new MatchExcept([1L])), true },
        { "{'n':'1'}", Field("n", new MatchExcept([1L])), true },
        { "{'n':2}", Field("n", new MatchExcept([])), true },
    };

    [Theory, MemberData(nameof(AnyExcept))]
    public void Match_any_and_except(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    public static TheoryData<string, Condition, bool> Texts => new()
    {
        // Without a full-text index Qdrant checks that the whole query is a substring (case-sensitive).
        { "{'t':'the quick brown fox'}", Field("t", new MatchText("quick brown")), true },
        { "{'t':'the quick brown fox'}", Field("t", new MatchText("brown quick")), false },
        { "{'t':'the quick brown fox'}", Field("t", new MatchText("Quick")), false },
        { "{'t':'the quick brown fox'}", Field("t", new MatchText("uick b")), true },
        { "{'t':['nope','a fox']}", Field("t", new MatchText("fox")), true },
        { "{'t':5}", Field("t", new MatchText("5")), false },
        { "{'t':'the quick brown fox'}", Field("t", new MatchPhrase("brown fox")), true },
        { "{'t':'the quick brown fox'}", Field("t", new MatchPhrase("fox brown")), false },
        { "{'t':'the quick brown fox'}", Field("t", new MatchTextAny("slow  fox")), true },
        { "{'t':'the quick brown fox'}", Field("t", new MatchTextAny("slow cat")), false },
        { "{'t':'the quick brown fox'}", Field("t", new MatchTextAny("   ")), false },
        { "{'t':'naïve café'}", Field("t", new MatchText("ve ca")), true },
    };

    [Theory, MemberData(nameof(Texts))]
    public void Match_text_phrase_and_text_any(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    public static TheoryData<string, Condition, bool> Prefixes => new()
    {
        // Qdrant's match.prefix: a string starting with the prefix, case-sensitive; any element of an array; never a non-string.
        { "{'c':'Berlin'}", Field("c", new MatchPrefix("Ber")), true },
        { "{'c':'Berlin'}", Field("c", new MatchPrefix("ber")), false },
        { "{'c':'Berlin'}", Field("c", new MatchPrefix("Berlin")), true },
        { "{'c':'Berlin'}", Field("c", new MatchPrefix("Berlins")), false },
        { "{'c':'Berlin'}", Field("c", new MatchPrefix("")), true },
        { "{'c':'a Berlin'}", Field("c", new MatchPrefix("Ber")), false },
        { "{'c':['Paris','Bern']}", Field("c", new MatchPrefix("Ber")), true },
        { "{'c':123}", Field("c", new MatchPrefix("1")), false },
        { "{'c':null}", Field("c", new MatchPrefix("")), false },
        { "{'c':'café au lait'}", Field("c", new MatchPrefix("caf\u00e9")), true },
    };

    [Theory, MemberData(nameof(Prefixes))]
    public void Match_prefix(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    private static FieldCondition R(string key, double? gt = null, double? gte = null, double? lt = null, double? lte = null) =>
        new(key) { Range = new Range { Gt = gt, Gte = gte, Lt = lt, Lte = lte } };

    public static TheoryData<string, Condition, bool> Ranges => new()
    {
        { "{'p':5}", R("p", gte: 5, lt: 10), true },
        { "{'p':10}", R("p", gte: 5, lt: 10), false },
        { "{'p':9.99}", R("p", gte: 5, lt: 10), true },
        { "{'p':5}", R("p", gt: 5), false },
        { "{'p':5}", R("p", lte: 5), true },
        { "{'p':-1.5e3}", R("p", lt: -1000), true },
        { "{'p':'7'}", R("p", gte: 5), false },
        { "{'p':true}", R("p", gte: 0), false },
        { "{'p':null}", R("p", gte: 0), false },
        { "{'p':[1,20]}", R("p", gt: 15), true },
        { "{'p':[1,2]}", R("p", gt: 15), false },
        { "{'p':3}", R("p"), true },
        { "{}", R("p"), false },
    };

    [Theory, MemberData(nameof(Ranges))]
    public void Range_on_numbers(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));

    private static FieldCondition February(string key) => new(key)
    {
        DatetimeRange = new DatetimeRange
        {
            Gte = new DateTimeOffset(2020, 2, 1, 0, 0, 0, TimeSpan.Zero),
            Lt = new DateTimeOffset(2020, 3, 1, 0, 0, 0, TimeSpan.Zero),
        },
    };

    public static TheoryData<string, Condition, bool> Datetimes => new()
    {
        { "{'d':'2020-02-15T00:00:00Z'}", February("d"), true },
        { "{'d':'2020-03-15T00:00:00Z'}", February("d"), false },
        { "{'d':'2020-02-01T00:00:00Z'}", February("d"), true },          // gte bound is inclusive
        { "{'d':'2020-03-01T00:00:00Z'}", February("d"), false },         // lt bound is exclusive
        { "{'d':'2020-02-29T23:59:59.999999Z'}", February("d"), true },
        { "{'d':'2020-02-29T23:30:00-01:00'}", February("d"), false },    // 00:30 UTC on March 1
        { "{'d':'2020-03-01T00:30:00+01:00'}", February("d"), true },     // 23:30 UTC on February 29
        { "{'d':'2020-03-01T00:30:00+0100'}", February("d"), true },
        { "{'d':'2020-03-01 00:30:00+01'}", February("d"), true },
        { "{'d':'2020-02-29T23:59:59'}", February("d"), true },           // naive is UTC
        { "{'d':'2020-03-01T00:00'}", February("d"), false },
        { "{'d':'2020-02-15'}", February("d"), true },
        { "{'d':'2020-02-15 12:00:00'}", February("d"), true },
        { "{'d':'2020-02-30'}", February("d"), false },
        { "{'d':'2020-02-15T12:00Z'}", February("d"), false },            // an offset needs seconds
        { "{'d':'yesterday'}", February("d"), false },
        { "{'d':1581724800}", February("d"), false },
        { "{'d':['2019-01-01','2020-02-02T02:02:02Z']}", February("d"), true },
    };

    [Theory, MemberData(nameof(Datetimes))]
    public void Datetime_range(string json, Condition c, bool expected) => Assert.Equal(expected, Eval(json, c));
}
