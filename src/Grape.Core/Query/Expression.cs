using Grape.Core.Filtering.Model;

namespace Grape.Core.Query;

/// <summary>
/// A score-boosting formula (Qdrant's <c>Expression</c>). Evaluated in double precision per point; the result must
/// be a finite f32. Variables are <c>"$score"</c> (= <c>"$score[0]"</c>), <c>"$score[i]"</c> (the point's score in
/// prefetch i) or a payload key; a condition counts as 1 when it holds and 0 otherwise.
/// </summary>
public abstract record Expression
{
    private Expression() { }

    public static implicit operator Expression(double value) => new Constant(value);
    public static implicit operator Expression(string variable) => new Variable(variable);

    public sealed record Constant(double Value) : Expression;
    public sealed record Variable(string Name) : Expression;
    public sealed record ConditionValue(Condition Condition) : Expression;
    /// <summary>Haversine distance in meters from <see cref="Origin"/> to the geo point at payload key <see cref="To"/>.</summary>
    public sealed record GeoDistance(GeoPoint Origin, string To) : Expression;
    /// <summary>An RFC 3339 date-time as Unix seconds.</summary>
    public sealed record Datetime(string Value) : Expression;
    /// <summary>The date-time at payload key <see cref="Key"/> as Unix seconds.</summary>
    public sealed record DatetimeKey(string Key) : Expression;
    public sealed record Mult(IReadOnlyList<Expression> Factors) : Expression;
    public sealed record Sum(IReadOnlyList<Expression> Terms) : Expression;
    public sealed record Neg(Expression Value) : Expression;
    public sealed record Abs(Expression Value) : Expression;
    /// <summary><see cref="Left"/> / <see cref="Right"/>; a zero divisor yields <see cref="ByZeroDefault"/> when given, else an error.</summary>
    public sealed record Div(Expression Left, Expression Right, float? ByZeroDefault = null) : Expression;
    public sealed record Sqrt(Expression Value) : Expression;
    public sealed record Pow(Expression Base, Expression Exponent) : Expression;
    public sealed record Exp(Expression Value) : Expression;
    public sealed record Log10(Expression Value) : Expression;
    public sealed record Ln(Expression Value) : Expression;
    /// <summary>A decay of |x − target| (target defaults to 0) that equals <see cref="Midpoint"/> (0.5) at distance <see cref="Scale"/> (1).</summary>
    public sealed record Decay(DecayKind Kind, Expression X) : Expression
    {
        public Expression? Target { get; init; }
        public float? Scale { get; init; }
        public float? Midpoint { get; init; }
    }
}

/// <summary>The shape of a decay expression.</summary>
public enum DecayKind
{
    Lin,
    Exp,
    Gauss,
}
