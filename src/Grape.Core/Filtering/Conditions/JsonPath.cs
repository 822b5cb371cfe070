using System.Globalization;
using System.Text;
using Grape.Core.Errors;

namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// A payload key path with Qdrant's grammar: a first key, then any of <c>.key</c>, <c>."quoted.key"</c>,
/// <c>[index]</c> and <c>[]</c> (every element). A plain key is letters, digits, <c>_</c> and <c>-</c>; anything
/// else must be quoted (a quoted key holds no <c>"</c> or <c>\</c>). No whitespace anywhere.
/// </summary>
internal sealed class JsonPath
{
    private JsonPath(string text, JsonPathSegment[] segments) { Text = text; Segments = segments; }

    /// <summary>The path as given.</summary>
    public string Text { get; }

    /// <summary>All steps, the first key included (always a <see cref="JsonPathSegmentKind.Key"/>).</summary>
    public JsonPathSegment[] Segments { get; }

    public string FirstKey => Segments[0].Key!;

    public bool HasWildcardSuffix => Segments[^1].Kind == JsonPathSegmentKind.Wildcard;

    /// <summary>Parses <paramref name="text"/>; <see cref="BadRequestException"/> naming the path if invalid.</summary>
    public static JsonPath Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) ThrowHelper.BadRequest("Invalid key path: the key is empty");
        return TryParse(text, out var path, out var error) ? path
            : ThrowHelper.BadRequest<JsonPath>($"Invalid key path `{text}`: {error}");
    }

    public static bool TryParse(string text, out JsonPath path, out string error)
    {
        path = null!;
        var segments = new List<JsonPathSegment>(4);
        int i = 0;
        if (!TryReadKey(text, ref i, out var first, out error)) return false;
        segments.Add(JsonPathSegment.OfKey(first));
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '.')
            {
                i++;
                if (!TryReadKey(text, ref i, out var key, out error)) return false;
                segments.Add(JsonPathSegment.OfKey(key));
            }
            else if (c == '[')
            {
                int close = text.IndexOf(']', i + 1);
                if (close < 0) { error = $"unclosed `[` at position {i}"; return false; }
                var inner = text.AsSpan(i + 1, close - i - 1);
                if (inner.IsEmpty) segments.Add(JsonPathSegment.Wildcard);
                else if (IsAsciiDigits(inner) && int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                    segments.Add(JsonPathSegment.OfIndex(index));
                else { error = $"expected `[]` or `[<index>]` at position {i}"; return false; }
                i = close + 1;
            }
            else { error = $"unexpected `{c}` at position {i}"; return false; }
        }
        path = new JsonPath(text, [.. segments]);
        error = "";
        return true;
    }

    private static bool TryReadKey(string text, ref int i, out string key, out string error)
    {
        key = "";
        error = "";
        if (i < text.Length && text[i] == '"')
        {
            int start = i + 1, j = start;
            while (j < text.Length && text[j] != '"' && text[j] != '\\') j++;
            if (j >= text.Length || text[j] != '"') { error = $"unterminated or escaped quoted key at position {i}"; return false; }
            key = text[start..j];
            i = j + 1;
            return true;
        }
        int begin = i;
        while (i < text.Length)
        {
            // Qdrant accepts Unicode letters and digits (Rust's char::is_alphanumeric), `_` and `-`.
            if (!Rune.TryGetRuneAt(text, i, out var rune) || !IsPlainKeyRune(rune)) break;
            i += rune.Utf16SequenceLength;
        }
        if (i == begin)
        {
            error = i < text.Length ? $"expected a key at position {i}, found `{text[i]}`" : $"expected a key at position {i}";
            return false;
        }
        key = text[begin..i];
        return true;
    }

    private static bool IsPlainKeyRune(Rune r) => r.Value == '_' || r.Value == '-' || Rune.IsLetterOrDigit(r) || Rune.IsNumber(r);

    private static bool IsAsciiDigits(ReadOnlySpan<char> s)
    {
        foreach (char c in s) if (!char.IsAsciiDigit(c)) return false;
        return true;
    }

    /// <summary>The path with <c>[]</c> appended unless it already ends with it (Qdrant's <c>array_key</c>, used by nested).</summary>
    public JsonPath ArrayKey() =>
        HasWildcardSuffix ? this : new JsonPath(Text + "[]", [.. Segments, JsonPathSegment.Wildcard]);

    public override string ToString() => Text;
}
