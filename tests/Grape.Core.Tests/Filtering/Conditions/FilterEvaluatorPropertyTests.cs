using FsCheck;
using FsCheck.Fluent;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Range = Grape.Core.Filtering.Model.Range;

namespace Grape.Core.Tests.Filtering.Conditions;

public sealed record FilterCase(FlatPayload Payload, Filter Filter, string Description)
{
    public override string ToString() => $"payload {Payload.ToJson()} filter {Description}";
}

public class FilterEvaluatorPropertyTests
{
    private static readonly string[] Keys = ["a", "b", "c"];
    private static readonly string[] Words = ["x", "y", "X"];

    private static Gen<Val> ScalarGen => Gen.OneOf(
        Gen.Choose(-3, 3).Select(i => (Val)new Val.Int(i)),
        Gen.Elements(-1.5, 0.5, 2.0, 2.5).Select(d => (Val)new Val.Float(d)),
        Gen.Elements(Words).Select(s => (Val)new Val.Str(s)),
        Gen.Elements(true, false).Select(b => (Val)new Val.Bool(b)),
        Gen.Constant((Val)new Val.Null()));

    private static Gen<Val> ValueGen => Gen.Frequency(
        (5, ScalarGen),
        (2, Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(ScalarGen, n)).Select(a => (Val)new Val.Arr(a))),
        (1, ScalarGen.Select(s => (Val)new Val.Arr([new Val.Arr([s]), s]))));

    private static Gen<FlatPayload> PayloadGen =>
        Gen.ArrayOf(Gen.Elements(true, true, false), Keys.Length)
            .SelectMany(present => Gen.ArrayOf(ValueGen, Keys.Length).Select(values =>
                new FlatPayload([.. Keys.Select((k, i) => (k, i)).Where(t => present[t.i]).Select(t => KeyValuePair.Create(t.k, values[t.i]))])));

    private static Gen<MatchScalar> KeywordGen => Gen.Elements(Words).Select(MatchScalar.Of);
    private static Gen<MatchScalar> IntegerGen => Gen.Choose(-3, 3).Select(i => MatchScalar.Of((long)i));

    private static Gen<(Condition, string)> LeafGen => Gen.Elements(Keys).SelectMany(key => Gen.OneOf(
        Gen.OneOf(KeywordGen, IntegerGen, Gen.Elements(true, false).Select(MatchScalar.Of))
            .Select(v => ((Condition)new FieldCondition(key) { Match = new MatchValue(v) }, $"{key}=={Show(v)}")),
        Gen.Elements(true, false).SelectMany(ints => Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(ints ? IntegerGen : KeywordGen, n)))
            .SelectMany(list => Gen.Elements(true, false).Select(except => (
                (Condition)new FieldCondition(key) { Match = except ? new MatchExcept(list) : new MatchAny(list) },
                $"{key} {(except ? "except" : "any")} [{string.Join(",", list.Select(Show))}]"))),
        Gen.ArrayOf(Gen.Elements<double?>(null, null, -2, -1.5, 0, 0.5, 2, 2.5), 4).Select(b => (
            (Condition)new FieldCondition(key) { Range = new Range { Gt = b[0], Gte = b[1], Lt = b[2], Lte = b[3] } },
            $"{key} in (gt {b[0]}, gte {b[1]}, lt {b[2]}, lte {b[3]})")),
        Gen.Constant(((Condition)new IsEmptyCondition(key), $"is_empty({key})"))));

    private static string Show(MatchScalar v) => v.Kind switch
    {
        MatchScalarKind.Keyword => $"'{v.Keyword}'",
        MatchScalarKind.Integer => v.Integer.ToString(),
        _ => v.Bool ? "true" : "false",
    };

    private static Gen<(IReadOnlyList<Condition>?, string)> ListGen(int depth) =>
        Gen.Frequency(
            (1, Gen.Constant(((IReadOnlyList<Condition>?)null, "-"))),
            (3, Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(ConditionGen(depth), n)).Select(items => (
                (IReadOnlyList<Condition>?)items.Select(i => i.Item1).ToArray(),
                "[" + string.Join(", ", items.Select(i => i.Item2)) + "]"))));

    private static Gen<(Condition, string)> ConditionGen(int depth) =>
        depth == 0 ? LeafGen
        : Gen.Frequency((3, LeafGen), (1, FilterGen(depth - 1).Select(f => ((Condition)new FilterCondition(f.Item1), "(" + f.Item2 + ")"))));

    private static Gen<(Filter, string)> FilterGen(int depth) =>
        ListGen(depth).SelectMany(must => ListGen(depth).SelectMany(should => ListGen(depth).Select(mustNot => (
            new Filter { Must = must.Item1, Should = should.Item1, MustNot = mustNot.Item1 },
            $"must {must.Item2} should {should.Item2} must_not {mustNot.Item2}"))));

    private static Arbitrary<FilterCase> Cases =>
        Arb.From(PayloadGen.SelectMany(p => FilterGen(2).Select(f => new FilterCase(p, f.Item1, f.Item2))));

    [FsCheck.Xunit.Property(MaxTest = 1000)]
    public Property Evaluator_agrees_with_the_naive_reference_on_flat_payloads() =>
        Prop.ForAll(Cases, c =>
            FilterEvaluator.Compile(c.Filter).Matches(new TestPoint(1UL, c.Payload.ToJson()))
            == ReferenceFilter.Eval(c.Filter, c.Payload));

    [Fact]
    public void The_generator_produces_both_outcomes()
    {
        // Guards the property against a generator whose filters are always true (or always false).
        var sample = Gen.Sample(PayloadGen.SelectMany(p => FilterGen(2).Select(f => new FilterCase(p, f.Item1, f.Item2))), 400);
        int matched = sample.Count(c => ReferenceFilter.Eval(c.Filter, c.Payload));
        Assert.InRange(matched, 40, 360);
    }
}
