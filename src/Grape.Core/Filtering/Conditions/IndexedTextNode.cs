using System.Text;
using Grape.Core.Errors;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;

namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// <c>match.text</c> / <c>text_any</c> / <c>phrase</c> on a key with a full-text index, with Qdrant's indexed
/// semantics: each value at the key is a document (an array's strings together, as Qdrant's per-value check);
/// text needs every query token in it, text_any one of them, phrase the tokens in a row within one string. A query
/// with no tokens matches nothing.
/// </summary>
internal sealed class IndexedTextNode : ConditionNode, IValueVisitor
{
    private enum Mode : byte { All, Any, Phrase }

    private readonly JsonPath _path;
    private readonly TextTokenizer _tokenizer;
    private readonly Mode _mode;
    private readonly string[] _query;
    [ThreadStatic] private static Scratch? t_scratch;

    private IndexedTextNode(JsonPath path, TextTokenizer tokenizer, Mode mode, string[] query)
    {
        _path = path;
        _tokenizer = tokenizer;
        _mode = mode;
        _query = query;
    }

    public static IndexedTextNode Create(JsonPath path, TextTokenizer tokenizer, Match match)
    {
        var tokens = new List<string>();
        Mode mode;
        switch (match)
        {
            case MatchText t: tokenizer.TokenizeQuery(t.Text ?? ThrowHelper.BadRequest<string>($"Field `{path}`: match text is null"), tokens); mode = Mode.All; break;
            case MatchTextAny a: tokenizer.TokenizeQuery(a.Text ?? ThrowHelper.BadRequest<string>($"Field `{path}`: match text_any is null"), tokens); mode = Mode.Any; break;
            default:
                tokenizer.TokenizeSequence(((MatchPhrase)match).Phrase ?? ThrowHelper.BadRequest<string>($"Field `{path}`: match phrase is null"), tokens);
                mode = Mode.Phrase;
                break;
        }
        return new IndexedTextNode(path, tokenizer, mode, mode == Mode.Phrase ? [.. tokens] : [.. tokens.Distinct(StringComparer.Ordinal)]);
    }

    public override bool ReadsPayload => true;

    public override bool Evaluate(ref EvalContext ctx, int scope)
    {
        if (_query.Length == 0) return false;
        t_scratch ??= new Scratch();
        int count = 0;
        return PathWalker.AnyValue(ref ctx, ResolveScope(ref ctx, scope), _path.Segments, this, ref count);
    }

    // One value at the key (Qdrant checks each value on its own: an array's strings together, as one document).
    public bool Visit(ref EvalContext ctx, int node)
    {
        t_scratch!.Seen.Clear();
        var kind = ctx.Kind(node);
        if (kind == PayloadNodeKind.Array)
        {
            var tape = ctx.Tape;
            for (int e = node + 1, end = tape[node].End; e < end; e = tape[e].End)
                if (ctx.Kind(e) == PayloadNodeKind.String && Document(Encoding.UTF8.GetString(ctx.Bytes(e)))) return true;
            return false;
        }
        return kind == PayloadNodeKind.String && Document(Encoding.UTF8.GetString(ctx.Bytes(node)));
    }

    // One string value; returns true once the answer is known to be yes.
    private bool Document(string text)
    {
        var s = t_scratch!;
        s.Tokens.Clear();
        if (_mode == Mode.Phrase)
        {
            _tokenizer.TokenizeSequence(text, s.Tokens);
            for (int i = 0; i + _query.Length <= s.Tokens.Count; i++)
            {
                int j = 0;
                while (j < _query.Length && s.Tokens[i + j] == _query[j]) j++;
                if (j == _query.Length) return true;
            }
            return false;
        }
        _tokenizer.TokenizeDocument(text, s.Tokens);
        foreach (var t in s.Tokens)
        {
            if (Array.IndexOf(_query, t) < 0) continue;
            if (_mode == Mode.Any) return true;
            s.Seen.Add(t);
            if (s.Seen.Count == _query.Length) return true;
        }
        return false;
    }

    private sealed class Scratch
    {
        public readonly List<string> Tokens = [];
        public readonly HashSet<string> Seen = new(StringComparer.Ordinal);
    }
}
