using System.Collections.Concurrent;
using System.Text;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// text: an inverted index, token → posting list, with Qdrant's tokenizers. <c>match.text</c> is answered by the
/// rarest query token's list (all tokens must occur), <c>match.text_any</c> by the union, <c>match.phrase</c> by the
/// rarest phrase token's list; the evaluator then checks the point's tokens (and their order for a phrase).
/// </summary>
internal sealed class TextIndex : FieldIndex
{
    private readonly ConcurrentDictionary<string, PostingList> _tokens = new(StringComparer.Ordinal);
    private readonly List<string> _scratch = [];

    public TextIndex(string key, PayloadFieldSchema schema) : base(key, schema) => Tokenizer = new TextTokenizer(schema.Params);

    public TextTokenizer Tokenizer { get; }

    protected override bool AddValue(uint offset, ref EvalContext ctx, int node)
    {
        if (ctx.Kind(node) != PayloadNodeKind.String) return false;
        _scratch.Clear();
        Tokenizer.TokenizeDocument(Encoding.UTF8.GetString(ctx.Bytes(node)), _scratch);
        foreach (var t in _scratch)
        {
            if (!_tokens.TryGetValue(t, out var list)) _tokens[t] = list = new PostingList();
            list.Add(offset);
        }
        return true;
    }

    public override IndexHits? Query(FieldCondition condition)
    {
        if (!IsSingle(condition)) return null;
        var tokens = new List<string>();
        switch (condition.Match)
        {
            case MatchText t when t.Text is not null: Tokenizer.TokenizeQuery(t.Text, tokens); return Rarest(tokens);
            case MatchPhrase p when p.Phrase is not null: Tokenizer.TokenizeQuery(p.Phrase, tokens); return Rarest(tokens);
            case MatchTextAny a when a.Text is not null:
            {
                Tokenizer.TokenizeQuery(a.Text, tokens);
                var hits = new IndexHits { MaxValuesPerPoint = MaxValuesPerPoint };
                foreach (var t in tokens.Distinct(StringComparer.Ordinal))
                    if (_tokens.TryGetValue(t, out var list)) hits.Add(list.Snapshot());
                return hits;
            }
            default:
                return null;
        }
    }

    // Every token must occur, so the shortest list holds every match; an unknown token means none.
    private IndexHits Rarest(List<string> tokens)
    {
        var hits = new IndexHits { MaxValuesPerPoint = MaxValuesPerPoint };
        PostingList? best = null;
        foreach (var t in tokens)
        {
            if (!_tokens.TryGetValue(t, out var list)) return hits;
            if (best is null || list.Count < best.Count) best = list;
        }
        if (best is not null) hits.Add(best.Snapshot());
        return hits;
    }

    protected override void WriteValues(BinaryWriter w, uint limit)
    {
        var snapshot = _tokens.ToArray();
        w.Write(snapshot.Length);
        foreach (var (token, list) in snapshot) { w.Write(token); WritePosting(w, list, limit); }
    }

    protected override void ReadValues(BinaryReader r)
    {
        int n = r.ReadInt32();
        for (int i = 0; i < n; i++)
        {
            var token = r.ReadString();
            _tokens[token] = ReadPosting(r);
        }
    }
}
