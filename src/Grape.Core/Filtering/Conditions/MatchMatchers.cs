namespace Grape.Core.Filtering.Conditions;

// Qdrant's `Match` checks (condition_checker.rs), one class per form. Strings compare as UTF-8 bytes: exact and
// case-sensitive, and a byte-level substring search on valid UTF-8 finds the same matches as `str::contains`.

/// <summary>match value (keyword): the string equals it exactly.</summary>
internal sealed class KeywordMatcher(byte[] keyword) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) =>
        ctx.Kind(node) == PayloadNodeKind.String && ctx.Bytes(node).SequenceEqual(keyword);
}

/// <summary>match value (integer): an integer number equal to it (a float such as 1.5 or 1.0 never matches).</summary>
internal sealed class IntegerMatcher(long value) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) => ctx.TryGetInteger(node, out long v) && v == value;
}

/// <summary>match value (bool).</summary>
internal sealed class BoolMatcher(bool value) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) =>
        ctx.Kind(node) == (value ? PayloadNodeKind.True : PayloadNodeKind.False);
}

/// <summary>
/// match text / phrase without a full-text index: Qdrant checks that the string contains the whole query text
/// as a substring (case-sensitive). With an index it would tokenize instead; that belongs to the index.
/// </summary>
internal sealed class TextMatcher(byte[] text) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) =>
        ctx.Kind(node) == PayloadNodeKind.String && ctx.Bytes(node).IndexOf(text) >= 0;
}

/// <summary>match prefix: a string starting with the prefix's UTF-8 bytes (Rust's <c>str::starts_with</c>).</summary>
internal sealed class PrefixMatcher(byte[] prefix) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) =>
        ctx.Kind(node) == PayloadNodeKind.String && ctx.Bytes(node).StartsWith(prefix);
}

/// <summary>match text_any without an index: some whitespace-separated word of the query is a substring.</summary>
internal sealed class TextAnyMatcher(byte[][] tokens) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node)
    {
        if (ctx.Kind(node) != PayloadNodeKind.String) return false;
        var s = ctx.Bytes(node);
        foreach (var t in tokens)
            if (s.IndexOf(t) >= 0) return true;
        return false;
    }
}

/// <summary>match any (keywords).</summary>
internal sealed class AnyKeywordMatcher(Utf8KeywordSet set) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) =>
        ctx.Kind(node) == PayloadNodeKind.String && set.Contains(ctx.Bytes(node));
}

/// <summary>match any (integers): floats never match.</summary>
internal sealed class AnyIntegerMatcher(HashSet<long> set) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) => ctx.TryGetInteger(node, out long v) && set.Contains(v);
}

/// <summary>
/// match except (keywords): Qdrant's rules are asymmetric. A listed string fails, any other string passes; null
/// fails; a bool, number, object or nested array passes (it is not one of the listed keywords).
/// </summary>
internal sealed class ExceptKeywordMatcher(Utf8KeywordSet set) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) => ctx.Kind(node) switch
    {
        PayloadNodeKind.String => !set.Contains(ctx.Bytes(node)),
        PayloadNodeKind.Null => false,
        _ => true,
    };
}

/// <summary>match except (integers): a listed integer fails, null fails, everything else (floats too) passes.</summary>
internal sealed class ExceptIntegerMatcher(HashSet<long> set) : ValueMatcher
{
    public override bool Match(ref EvalContext ctx, int node) => ctx.Kind(node) switch
    {
        PayloadNodeKind.Number => !ctx.TryGetInteger(node, out long v) || !set.Contains(v),
        PayloadNodeKind.Null => false,
        _ => true,
    };
}
