using System.Collections.Concurrent;
using System.Text;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>keyword: string value → posting list. Serves <c>match.value</c> and <c>match.any</c> on strings exactly, and
/// <c>match.prefix</c> when created with <c>prefix: true</c> (without it, as in Qdrant, the condition is checked per point).</summary>
internal sealed class KeywordIndex(string key, PayloadFieldSchema schema) : FieldIndex(key, schema)
{
    private readonly ConcurrentDictionary<string, PostingList> _values = new(StringComparer.Ordinal);
    private readonly bool _prefix = schema.Params?.Prefix == true;

    public IEnumerable<KeyValuePair<string, PostingList>> Values => _values;

    public int ValueCount => _values.Count;

    protected override bool AddValue(uint offset, ref EvalContext ctx, int node)
    {
        if (ctx.Kind(node) != PayloadNodeKind.String) return false;
        var value = Encoding.UTF8.GetString(ctx.Bytes(node));
        if (!_values.TryGetValue(value, out var list)) _values[value] = list = new PostingList();
        list.Add(offset);
        return true;
    }

    public override IndexHits? Query(FieldCondition condition)
    {
        if (!IsSingle(condition)) return null;
        switch (condition.Match)
        {
            case MatchValue { Value.Kind: MatchScalarKind.Keyword } v when v.Value.Keyword is not null:
            {
                var hits = new IndexHits { Exact = true, MaxValuesPerPoint = MaxValuesPerPoint };
                if (_values.TryGetValue(v.Value.Keyword, out var list)) hits.Add(list.Snapshot());
                return hits;
            }
            case MatchPrefix { Prefix: { } prefix } when _prefix:
            {
                // Every value starting with the prefix (ordinal: byte order of UTF-8 agrees with UTF-16 ordinal for prefixes).
                var hits = new IndexHits { Exact = true, MaxValuesPerPoint = MaxValuesPerPoint };
                foreach (var (value, list) in _values)
                    if (value.StartsWith(prefix, StringComparison.Ordinal)) hits.Add(list.Snapshot());
                return hits;
            }
            case MatchAny any when any.Values is not null && AllKeywords(any.Values):
            {
                var hits = new IndexHits { Exact = true, MaxValuesPerPoint = MaxValuesPerPoint };
                foreach (var k in any.Values.Select(v => v.Keyword!).Distinct(StringComparer.Ordinal))
                    if (_values.TryGetValue(k, out var list)) hits.Add(list.Snapshot());
                return hits;
            }
            default:
                return null;
        }
    }

    private static bool AllKeywords(IReadOnlyList<MatchScalar> values)
    {
        foreach (var v in values)
            if (v.Kind != MatchScalarKind.Keyword || v.Keyword is null) return false;
        return true;
    }

    protected override void WriteValues(BinaryWriter w, uint limit)
    {
        var snapshot = _values.ToArray();
        w.Write(snapshot.Length);
        foreach (var (value, list) in snapshot) { w.Write(value); WritePosting(w, list, limit); }
    }

    protected override void ReadValues(BinaryReader r)
    {
        int n = r.ReadInt32();
        for (int i = 0; i < n; i++)
        {
            var value = r.ReadString();
            _values[value] = ReadPosting(r);
        }
    }
}
