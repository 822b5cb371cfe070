using System.Collections.Concurrent;
using System.Text;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// uuid: strings that parse as a UUID, keyed by the UUID (16 bytes instead of 36 chars). Serves keyword
/// <c>match.value</c>/<c>match.any</c> when every asked value is a UUID. Not exact: the evaluator compares the
/// strings as written (case, hyphens), so candidates are checked.
/// </summary>
internal sealed class UuidIndex(string key, PayloadFieldSchema schema) : FieldIndex(key, schema)
{
    private readonly ConcurrentDictionary<Guid, PostingList> _values = new();

    public IEnumerable<KeyValuePair<Guid, PostingList>> Values => _values;

    public int ValueCount => _values.Count;

    protected override bool AddValue(uint offset, ref EvalContext ctx, int node)
    {
        if (ctx.Kind(node) != PayloadNodeKind.String) return false;
        var bytes = ctx.Bytes(node);
        if (bytes.Length > 68) return false;
        Span<char> chars = stackalloc char[68];
        int n = Encoding.UTF8.GetChars(bytes, chars);
        if (!Guid.TryParse(chars[..n], out var g)) return false;
        if (!_values.TryGetValue(g, out var list)) _values[g] = list = new PostingList();
        list.Add(offset);
        return true;
    }

    public override IndexHits? Query(FieldCondition condition)
    {
        if (!IsSingle(condition)) return null;
        IReadOnlyList<MatchScalar>? asked = condition.Match switch
        {
            MatchValue v => [v.Value],
            MatchAny a => a.Values,
            _ => null,
        };
        if (asked is null) return null;
        var keys = new List<Guid>(asked.Count);
        foreach (var v in asked)
        {
            if (v.Kind != MatchScalarKind.Keyword || !Guid.TryParse(v.Keyword, out var g)) return null;
            keys.Add(g);
        }
        var hits = new IndexHits { Exact = false, MaxValuesPerPoint = MaxValuesPerPoint };
        foreach (var g in keys.Distinct())
            if (_values.TryGetValue(g, out var list)) hits.Add(list.Snapshot());
        return hits;
    }

    protected override void WriteValues(BinaryWriter w, uint limit)
    {
        var snapshot = _values.ToArray();
        w.Write(snapshot.Length);
        Span<byte> b = stackalloc byte[16];
        foreach (var (value, list) in snapshot)
        {
            value.TryWriteBytes(b);
            w.Write(b);
            WritePosting(w, list, limit);
        }
    }

    protected override void ReadValues(BinaryReader r)
    {
        int n = r.ReadInt32();
        for (int i = 0; i < n; i++)
        {
            var g = new Guid(r.ReadBytes(16));
            _values[g] = ReadPosting(r);
        }
    }
}
