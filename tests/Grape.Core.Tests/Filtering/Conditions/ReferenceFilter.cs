using System.Globalization;
using System.Text;
using Grape.Core.Filtering.Model;
using Range = Grape.Core.Filtering.Model.Range;

namespace Grape.Core.Tests.Filtering.Conditions;

/// <summary>A value of a flat test payload, kept as a model so the reference never parses JSON.</summary>
public abstract record Val
{
    public sealed record Int(long V) : Val;
    public sealed record Float(double V) : Val;
    public sealed record Str(string V) : Val;
    public sealed record Bool(bool V) : Val;
    public sealed record Null : Val;
    public sealed record Arr(Val[] Items) : Val
    {
        public override string ToString() => "[" + string.Join(",", Items.Select(i => i.ToString())) + "]";
    }

    public string ToJson() => this switch
    {
        Int i => i.V.ToString(CultureInfo.InvariantCulture),
        Float f => f.V.ToString("0.0###", CultureInfo.InvariantCulture), // always with a '.', so it stays a float
        Str s => "\"" + s.V + "\"",
        Bool b => b.V ? "true" : "false",
        Null => "null",
        Arr a => "[" + string.Join(",", a.Items.Select(x => x.ToJson())) + "]",
        _ => throw new InvalidOperationException(),
    };
}

/// <summary>A flat payload: top-level keys only.</summary>
public sealed record FlatPayload(IReadOnlyList<KeyValuePair<string, Val>> Fields)
{
    public string ToJson()
    {
        var sb = new StringBuilder("{");
        foreach (var (k, v) in Fields) sb.Append(sb.Length > 1 ? "," : "").Append('"').Append(k).Append("\":").Append(v.ToJson());
        return sb.Append('}').ToString();
    }

    public override string ToString() => ToJson();
}

/// <summary>
/// Naive filter semantics for the property test, written from Qdrant's rules for the subset match value /
/// any / except, range, is_empty and must / should / must_not over flat payloads: a condition on a missing key
/// fails (is_empty holds); an array matches if one element does (no deeper); an empty should is no constraint.
/// </summary>
internal static class ReferenceFilter
{
    public static bool Eval(Filter f, FlatPayload p)
    {
        if (f.Must is { } must && !must.All(c => Eval(c, p))) return false;
        if (f.MustNot is { } mustNot && mustNot.Any(c => Eval(c, p))) return false;
        if (f.Should is { Count: > 0 } should && !should.Any(c => Eval(c, p))) return false;
        return true;
    }

    private static Val? Get(FlatPayload p, string key) => p.Fields.LastOrDefault(kv => kv.Key == key).Value;

    private static bool Eval(Condition c, FlatPayload p) => c switch
    {
        FilterCondition fc => Eval(fc.Filter, p),
        IsEmptyCondition e => Get(p, e.Key) is null or Val.Null or Val.Arr { Items.Length: 0 },
        FieldCondition f => Get(p, f.Key) is { } v && (v is Val.Arr a ? a.Items.Any(x => Scalar(f, x)) : Scalar(f, v)),
        _ => throw new NotSupportedException(c.GetType().Name),
    };

    private static bool Scalar(FieldCondition f, Val v)
    {
        if (f.Range is { } r) return InRange(r, v);
        return f.Match switch
        {
            MatchValue m => Equal(m.Value, v),
            MatchAny any => any.Values.Any(x => Equal(x, v)),
            MatchExcept ex => v switch
            {
                Val.Null => false,
                Val.Str or Val.Int => !ex.Values.Any(x => Equal(x, v)),
                _ => true, // floats, bools, nested arrays are never in a keyword or integer list
            },
            _ => throw new NotSupportedException(),
        };
    }

    private static bool Equal(MatchScalar m, Val v) => (m.Kind, v) switch
    {
        (MatchScalarKind.Keyword, Val.Str s) => s.V == m.Keyword,
        (MatchScalarKind.Integer, Val.Int i) => i.V == m.Integer,
        (MatchScalarKind.Bool, Val.Bool b) => b.V == m.Bool,
        _ => false,
    };

    private static bool InRange(Range r, Val v)
    {
        double x;
        if (v is Val.Int i) x = i.V;
        else if (v is Val.Float fl) x = fl.V;
        else return false;
        return (r.Gt is null || x > r.Gt) && (r.Gte is null || x >= r.Gte) && (r.Lt is null || x < r.Lt) && (r.Lte is null || x <= r.Lte);
    }
}
