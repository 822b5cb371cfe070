using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// Splits text into tokens as Qdrant's full-text index does: <c>whitespace</c> on Unicode white space, <c>word</c>
/// on every character that is not a letter or a number, <c>prefix</c> like word but indexing every prefix of a word
/// (min..max chars), <c>multilingual</c> like word with each CJK ideograph or kana as its own token (Qdrant uses
/// dictionary segmenters there; this is a simpler split). Each token is folded to ASCII (if asked), lower-cased
/// (default), dropped if a stop word, and kept only within the min/max length in chars.
/// </summary>
internal sealed class TextTokenizer
{
    private readonly TokenizerType _type;
    private readonly bool _lowercase, _asciiFolding;
    private readonly int? _min, _max;
    private readonly FrozenSet<string> _stopwords;

    public TextTokenizer(PayloadIndexParams? p)
    {
        _type = p?.Tokenizer ?? TokenizerType.Word;
        _lowercase = p?.Lowercase ?? true;
        _asciiFolding = p?.AsciiFolding ?? false;
        _min = p?.MinTokenLen;
        _max = p?.MaxTokenLen;
        var stop = new HashSet<string>(StringComparer.Ordinal);
        if (p?.Stopwords is { } sw)
        {
            foreach (var l in sw.AllLanguages)
                if (StopwordLists.For(l) is { } list) stop.UnionWith(list);
            foreach (var c in sw.Custom ?? []) stop.Add(c);
        }
        // Stop words are compared with processed tokens, so they are lower-cased the same way.
        _stopwords = (_lowercase ? stop.Select(s => s.ToLowerInvariant()) : stop).ToFrozenSet(StringComparer.Ordinal);
    }

    public bool IsPrefix => _type == TokenizerType.Prefix;

    /// <summary>Tokens of a stored value, in order (prefix: every prefix of every word).</summary>
    public void TokenizeDocument(string text, List<string> into)
    {
        foreach (var word in Words(text))
        {
            if (_type == TokenizerType.Prefix)
            {
                var w = Process(word, checkMax: false);
                if (w is null) continue;
                int chars = CharCount(w);
                int from = _min ?? 1, to = _max ?? int.MaxValue;
                for (int n = from; n <= to; n++)
                {
                    if (n >= chars) { into.Add(w); break; }
                    into.Add(TakeChars(w, n));
                }
            }
            else if (Process(word, checkMax: true) is { } t)
            {
                into.Add(t);
            }
        }
    }

    /// <summary>Tokens of a query (prefix: one token per word, cut to the max length, stop words kept).</summary>
    public void TokenizeQuery(string text, List<string> into)
    {
        if (_type != TokenizerType.Prefix) { TokenizeDocument(text, into); return; }
        foreach (var word in Words(text))
        {
            var w = _asciiFolding ? Fold(word) : word;
            if (_lowercase) w = w.ToLowerInvariant();
            if (_min is int min && CharCount(w) < min) continue;
            if (_max is int max && CharCount(w) > max) w = TakeChars(w, max);
            into.Add(w);
        }
    }

    /// <summary>Words of a phrase or document without prefix expansion, for phrase matching.</summary>
    public void TokenizeSequence(string text, List<string> into)
    {
        if (_type != TokenizerType.Prefix) { TokenizeDocument(text, into); return; }
        foreach (var word in Words(text))
            if (Process(word, checkMax: false) is { } t) into.Add(t);
    }

    private string? Process(string token, bool checkMax)
    {
        if (token.Length == 0) return null;
        if (_asciiFolding) token = Fold(token);
        if (_lowercase) token = token.ToLowerInvariant();
        if (_stopwords.Contains(token)) return null;
        if (_min is int min && CharCount(token) < min) return null;
        if (checkMax && _max is int max && CharCount(token) > max) return null;
        return token;
    }

    private IEnumerable<string> Words(string text)
    {
        var sb = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            bool separator = _type == TokenizerType.Whitespace ? Rune.IsWhiteSpace(rune) : !(Rune.IsLetterOrDigit(rune) || Rune.IsNumber(rune));
            if (separator)
            {
                if (sb.Length > 0) { yield return sb.ToString(); sb.Clear(); }
                continue;
            }
            if (_type == TokenizerType.Multilingual && IsCjk(rune))
            {
                if (sb.Length > 0) { yield return sb.ToString(); sb.Clear(); }
                yield return rune.ToString();
                continue;
            }
            sb.Append(rune.ToString());
        }
        if (sb.Length > 0) yield return sb.ToString();
    }

    private static bool IsCjk(Rune r) =>
        r.Value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x3040 and <= 0x30FF) or (>= 0xF900 and <= 0xFAFF)
            or (>= 0x20000 and <= 0x2FA1F);

    private static int CharCount(string s)
    {
        int n = 0;
        foreach (var _ in s.EnumerateRunes()) n++;
        return n;
    }

    private static string TakeChars(string s, int n)
    {
        int i = 0, taken = 0;
        while (i < s.Length && taken < n) { i += char.IsSurrogatePair(s, i) ? 2 : 1; taken++; }
        return s[..i];
    }

    // Latin letters with diacritics to ASCII (Latin-1 Supplement and Latin Extended-A, U+00C0..U+017F), the
    // letters ascii_folding is used for. Culture data is off in this build, so string.Normalize cannot decompose.
    private static readonly string[] Latin1 =
        "A A A A A A AE C E E E E I I I I D N O O O O O × O U U U U Y TH ss a a a a a a ae c e e e e i i i i d n o o o o o ÷ o u u u u y th y".Split(' ');
    private static readonly string[] LatinExtendedA =
        ("A a A a A a C c C c C c C c D d D d E e E e E e E e E e G g G g G g G g H h H h I i I i I i I i I i IJ ij J j K k k " +
         "L l L l L l L l L l N n N n N n n N n O o O o O o OE oe R r R r R r S s S s S s S s T t T t T t U u U u U u U u U u U u " +
         "W w Y y Y Z z Z z Z z s").Split(' ');

    private static string Fold(string s)
    {
        bool ascii = true;
        foreach (char c in s) if (c > 0x7F) { ascii = false; break; }
        if (ascii) return s;
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c >= 0xC0 && c <= 0xFF) sb.Append(Latin1[c - 0xC0]);
            else if (c >= 0x100 && c <= 0x17F) sb.Append(LatinExtendedA[c - 0x100]);
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark) sb.Append(c); // drop combining accents
        }
        return sb.ToString();
    }
}
