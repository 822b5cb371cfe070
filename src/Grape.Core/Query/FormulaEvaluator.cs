using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Collections.Shards;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Query;

/// <summary>
/// A score-boosting formula checked and prepared once (variables parsed, decay lambdas computed, conditions compiled),
/// then evaluated per prefetched point in double precision with Qdrant's rules: a missing <c>$score[i]</c> falls back
/// to its default or 0; a missing or non-numeric payload value to its default or an error; multiplication and division
/// stop at a zero; non-finite intermediate results are errors; the result must fit a finite f32.
/// </summary>
internal sealed partial class FormulaEvaluator
{
    private readonly Node _root;
    private readonly Dictionary<int, JsonNode?> _scoreDefaults = [];
    private readonly Dictionary<string, JsonNode?> _payloadDefaults = new(StringComparer.Ordinal);
    private readonly List<FilterEvaluator> _conditions = [];

    private FormulaEvaluator(ScoringQuery.Formula formula)
    {
        _root = Compile(formula.Expression);
        foreach (var (key, value) in formula.Defaults)
        {
            switch (ParseVariable(key))
            {
                case ScoreVariable s: _scoreDefaults[s.Index] = value; break;
                case PayloadVariable p: _payloadDefaults[p.Path.Text] = value; break;
            }
        }
    }

    public static FormulaEvaluator Create(ScoringQuery.Formula formula)
    {
        ArgumentNullException.ThrowIfNull(formula);
        return new FormulaEvaluator(formula);
    }

    /// <summary>The point's new score; <see cref="BadRequestException"/> with Qdrant's message when evaluation fails.</summary>
    public float Score(PointId id, Segment segment, uint offset, SegmentVectorSpec[] specs, IReadOnlyList<Dictionary<PointId, float>> prefetchScores)
    {
        var ctx = new Context(id, segment, offset, specs, prefetchScores, this);
        double score = _root.Eval(ref ctx);
        float f = (float)score;
        if (!float.IsFinite(f)) throw NonFinite($"{Rust(score)} as f32 = {Rust(f)}");
        return f;
    }

    private struct Context(PointId id, Segment segment, uint offset, SegmentVectorSpec[] specs, IReadOnlyList<Dictionary<PointId, float>> scores, FormulaEvaluator owner)
    {
        public readonly PointId Id = id;
        public readonly Segment Segment = segment;
        public readonly uint Offset = offset;
        public readonly SegmentVectorSpec[] Specs = specs;
        public readonly IReadOnlyList<Dictionary<PointId, float>> Scores = scores;
        public readonly FormulaEvaluator Owner = owner;
        private JsonObject? _payload;

        public JsonObject Payload => _payload ??= PayloadJson.Parse(Segment.GetPayload(Offset));
    }

    // ---- compilation --------------------------------------------------------------------------------------------

    private Node Compile(Expression e) => e switch
    {
        Expression.Constant c => new ConstantNode(c.Value),
        Expression.Variable v => ParseVariable(v.Name) switch
        {
            ScoreVariable s => new ScoreNode(s.Index),
            PayloadVariable p => new PayloadNode(p.Path),
            _ => throw new InvalidOperationException(),
        },
        Expression.ConditionValue c => CompileCondition(c.Condition),
        Expression.GeoDistance g => new GeoDistanceNode(g.Origin, JsonPath.Parse(g.To)),
        Expression.Datetime d => new ConstantNode(ParseDatetime(d.Value)),
        Expression.DatetimeKey k => new DatetimeKeyNode(JsonPath.Parse(k.Key)),
        Expression.Mult m => new MultNode([.. m.Factors.Select(Compile)]),
        Expression.Sum s => new SumNode([.. s.Terms.Select(Compile)]),
        Expression.Neg n => new UnaryNode(UnaryOp.Neg, Compile(n.Value)),
        Expression.Abs a => new UnaryNode(UnaryOp.Abs, Compile(a.Value)),
        Expression.Sqrt s => new UnaryNode(UnaryOp.Sqrt, Compile(s.Value)),
        Expression.Exp x => new UnaryNode(UnaryOp.Exp, Compile(x.Value)),
        Expression.Log10 l => new UnaryNode(UnaryOp.Log10, Compile(l.Value)),
        Expression.Ln l => new UnaryNode(UnaryOp.Ln, Compile(l.Value)),
        Expression.Div d => new DivNode(Compile(d.Left), Compile(d.Right), d.ByZeroDefault),
        Expression.Pow p => new PowNode(Compile(p.Base), Compile(p.Exponent)),
        Expression.Decay d => new DecayNode(d.Kind, Compile(d.X), d.Target is null ? null : Compile(d.Target), DecayLambda(d)),
        null => throw new BadRequestException("Wrong input: a formula expression is missing"),
        _ => throw new BadRequestException($"Wrong input: unsupported formula expression {e.GetType().Name}"),
    };

    private ConditionNode CompileCondition(Condition condition)
    {
        _conditions.Add(FilterEvaluator.Compile(Filter.MustAll(condition)));
        return new ConditionNode(_conditions.Count - 1);
    }

    private abstract record Variable;
    private sealed record ScoreVariable(int Index) : Variable;
    private sealed record PayloadVariable(JsonPath Path) : Variable;

    /// <summary>Qdrant's variable syntax: <c>$score</c>, <c>$score[i]</c>, or a payload key path.</summary>
    private static Variable ParseVariable(string text)
    {
        if (text.StartsWith('$'))
        {
            if (!JsonPath.TryParse(text[1..], out var reserved, out _)) throw ParseError("variable ID", text, $"Invalid reserved variable: {text}");
            if (reserved.FirstKey != "score") throw ParseError("variable ID", text, $"Invalid reserved word: {text}");
            var rest = reserved.Segments.AsSpan(1);
            if (rest.Length == 0) return new ScoreVariable(0);
            if (rest.Length == 1 && rest[0].Kind == JsonPathSegmentKind.Index) return new ScoreVariable(rest[0].Index);
            throw ParseError("variable ID", text, $"Invalid reserved variable: {text}");
        }
        return JsonPath.TryParse(text, out var path, out _) ? new PayloadVariable(path)
            : throw ParseError("variable ID", text, $"Invalid payload variable: {text}");
    }

    private static double ParseDatetime(string text) =>
        PayloadValues.TryUnixMicros(text, out long micros) ? micros / 1_000_000.0
            : throw ParseError("date-time", text, "input is not a valid RFC 3339 date-time");

    /// <summary>Qdrant's decay constants: lin (1 − m) / s, exp ln(m) / s, gauss ln(m) / s², checked as Qdrant checks them.</summary>
    private static double DecayLambda(Expression.Decay d)
    {
        double midpoint = d.Midpoint ?? 0.5f, scale = d.Scale ?? 1.0f;
        if (d.Kind == DecayKind.Lin)
        {
            if (!(midpoint >= 0.0 && midpoint <= 1.0))
                throw Validation($"Linear decay midpoint should be in the range [0.0, 1.0], got {Rust(midpoint)}.");
        }
        else if (midpoint <= 0.0 || midpoint >= 1.0)
        {
            throw Validation($"Decay midpoint should be in the range (0.0, 1.0), got {Rust(midpoint)}.");
        }
        if (scale <= 0.0) throw Validation($"Decay scale should be non-zero positive, got {Rust(scale)}.");
        return d.Kind switch
        {
            DecayKind.Lin => (1.0 - midpoint) / scale,
            DecayKind.Exp => Math.Log(midpoint) / scale,
            _ => Math.Log(midpoint) / (scale * scale),
        };
    }

    // ---- payload access -----------------------------------------------------------------------------------------

    /// <summary>The single value at <paramref name="path"/> (several become an array), else the default, else Qdrant's error.</summary>
    private JsonNode? ValueOrDefault(ref Context ctx, JsonPath path, string expectedType)
    {
        var values = PayloadValues.Get(ctx.Payload, path);
        if (values.Count == 1) return values[0];
        if (values.Count > 1) return new JsonArray([.. values.Select(v => v?.DeepClone())]);
        if (_payloadDefaults.TryGetValue(path.Text, out var fallback)) return fallback;
        throw VariableError(path.Text, expectedType, "No value found in a payload nor defaults");
    }

    private double Number(ref Context ctx, JsonPath path)
    {
        switch (PayloadValues.TryReadNumber(ctx.Segment.GetPayload(ctx.Offset), path, out double number))
        {
            case PayloadValues.Lookup.Number: return number;
            case PayloadValues.Lookup.Missing when _payloadDefaults.TryGetValue(path.Text, out var fallback):
                return PayloadValues.AsDouble(fallback) ?? throw VariableError(path.Text, "number", "Value is not a number");
            case PayloadValues.Lookup.Missing: throw VariableError(path.Text, "number", "No value found in a payload nor defaults");
        }
        var value = ValueOrDefault(ref ctx, path, "number");
        return PayloadValues.AsDouble(value) ?? throw VariableError(path.Text, "number", "Value is not a number");
    }

    private double Distance(ref Context ctx, GeoPoint origin, JsonPath path)
    {
        var value = ValueOrDefault(ref ctx, path, "geo point");
        if (value is JsonObject o && PayloadValues.AsDouble(o["lon"]) is { } lon && PayloadValues.AsDouble(o["lat"]) is { } lat
            && lon is >= -180 and <= 180 && lat is >= -90 and <= 90)
            return GeoMath.HaversineMeters(origin.Lon, origin.Lat, lon, lat);
        throw VariableError(path.Text, "geo point", "expected an object with `lon` in [-180, 180] and `lat` in [-90, 90]");
    }

    private double DatetimeSeconds(ref Context ctx, JsonPath path)
    {
        var value = ValueOrDefault(ref ctx, path, "datetime");
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) throw VariableError(path.Text, "datetime", "Value is not a string");
        var text = v.GetValue<string>();
        return PayloadValues.TryUnixMicros(text, out long micros) ? micros / 1_000_000.0
            : throw VariableError(path.Text, "datetime", $"failed to parse `{text}` as a date-time");
    }

    private double ScoreOf(ref Context ctx, int index)
    {
        if (index < ctx.Scores.Count && ctx.Scores[index].TryGetValue(ctx.Id, out float s)) return s;
        // No score in that prefetch (or it is not a number): the default, else 0.
        return _scoreDefaults.TryGetValue(index, out var d) && PayloadValues.AsDouble(d) is { } value ? value : 0.0;
    }

    // ---- errors (Qdrant's texts) --------------------------------------------------------------------------------

    private static BadRequestException ParseError(string what, string value, string message) =>
        Validation($"failed to parse {what} {value}: {message}");

    private static BadRequestException Validation(string message) => new($"Wrong input: Validation failed: {message}");

    private static BadRequestException VariableError(string field, string expected, string description) =>
        new($"Wrong input: Expected {expected} value for {field} in the payload and/or in the formula defaults. Error: {description}");

    private static BadRequestException NonFinite(string expression) => new($"Wrong input: The expression {expression} produced a non-finite number");

    /// <summary>A float as Rust's Display prints it (1 → "1", ∞ → "inf").</summary>
    internal static string Rust(double d) =>
        double.IsPositiveInfinity(d) ? "inf" : double.IsNegativeInfinity(d) ? "-inf" : double.IsNaN(d) ? "NaN"
            : d.ToString("R", CultureInfo.InvariantCulture);
}
