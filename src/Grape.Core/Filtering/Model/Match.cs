namespace Grape.Core.Filtering.Model;

/// <summary>Qdrant's <c>match</c> forms.</summary>
public abstract record Match;

/// <summary>Exact match of a keyword, an integer or a bool.</summary>
public sealed record MatchValue(MatchScalar Value) : Match;

/// <summary>Full-text match: with a full-text index every token of <see cref="Text"/> occurs; without one Qdrant checks that the whole text is a substring.</summary>
public sealed record MatchText(string Text) : Match;

/// <summary>Full-text match of the tokens in order, as a phrase (without an index: a substring, like <see cref="MatchText"/>).</summary>
public sealed record MatchPhrase(string Phrase) : Match;

/// <summary>Full-text match: any token of <see cref="Text"/> occurs (Qdrant's <c>text_any</c>; without an index: any whitespace-separated word is a substring).</summary>
public sealed record MatchTextAny(string Text) : Match;

/// <summary>A string value starts with <see cref="Prefix"/> (Qdrant's <c>match.prefix</c>): byte-wise, case-sensitive, as
/// exact keyword matching; served by a keyword index created with <c>prefix: true</c>, checked on the payload otherwise.</summary>
public sealed record MatchPrefix(string Prefix) : Match;

/// <summary>The value equals any of <see cref="Values"/> (all keywords or all integers).</summary>
public sealed record MatchAny(IReadOnlyList<MatchScalar> Values) : Match;

/// <summary>The value equals none of <see cref="Values"/>.</summary>
public sealed record MatchExcept(IReadOnlyList<MatchScalar> Values) : Match;

/// <summary>A keyword, integer or bool to compare a payload value with.</summary>
public readonly record struct MatchScalar
{
    private MatchScalar(MatchScalarKind kind, string? s, long i, bool b) { Kind = kind; Keyword = s; Integer = i; Bool = b; }
    public MatchScalarKind Kind { get; }
    public string? Keyword { get; }
    public long Integer { get; }
    public bool Bool { get; }
    public static MatchScalar Of(string keyword) => new(MatchScalarKind.Keyword, keyword, 0, false);
    public static MatchScalar Of(long integer) => new(MatchScalarKind.Integer, null, integer, false);
    public static MatchScalar Of(bool value) => new(MatchScalarKind.Bool, null, 0, value);
    public static implicit operator MatchScalar(string keyword) => Of(keyword);
    public static implicit operator MatchScalar(long integer) => Of(integer);
    public static implicit operator MatchScalar(bool value) => Of(value);
}

public enum MatchScalarKind { Keyword, Integer, Bool }
