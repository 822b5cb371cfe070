using System.Collections.Concurrent;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// integer: an integer → posting list map for <c>match.value</c>/<c>match.any</c> (when <c>lookup</c> is on) and a
/// range column for <c>range</c> (when <c>range</c> is on). The range column holds every number at the key, floats
/// included, because a range condition matches floats too: answers stay supersets of the evaluator's.
/// </summary>
internal sealed class IntegerIndex : FieldIndex
{
    private readonly ConcurrentDictionary<long, PostingList> _values = new();
    private readonly RangeColumn<double> _range = new();
    private readonly bool _lookup, _rangeOn;

    public IntegerIndex(string key, PayloadFieldSchema schema) : base(key, schema)
    {
        _lookup = schema.Params?.Lookup ?? true;
        _rangeOn = schema.Params?.Range ?? true;
    }

    public IEnumerable<KeyValuePair<long, PostingList>> Values => _values;

    public int ValueCount => _values.Count;

    /// <summary>The range column (every number at the key, sorted on demand), or null when <c>range</c> is off.</summary>
    internal RangeColumn<double>? RangeValues => _rangeOn ? _range : null;

    /// <summary>Whether <c>lookup</c> is on (per-value posting lists answer matches).</summary>
    internal bool LookupOn => _lookup;

    protected override bool AddValue(uint offset, ref EvalContext ctx, int node)
    {
        if (!ctx.TryGetDouble(node, out double d)) return false;
        _range.Add(d, offset);
        // A float is ranged but not looked up; it still counts as a value (bounds on entries per point stay true).
        if (!ctx.TryGetInteger(node, out long v)) return true;
        if (!_values.TryGetValue(v, out var list)) _values[v] = list = new PostingList();
        list.Add(offset);
        return true;
    }

    public override IndexHits? Query(FieldCondition condition)
    {
        if (!IsSingle(condition)) return null;
        if (condition.Range is { } r && _rangeOn)
        {
            var hits = new IndexHits { Exact = true, PartsSorted = false, MaxValuesPerPoint = MaxValuesPerPoint };
            _range.Query(r.Gt, r.Gte, r.Lt, r.Lte, hits);
            return hits;
        }
        if (!_lookup) return null;
        switch (condition.Match)
        {
            case MatchValue { Value.Kind: MatchScalarKind.Integer } v:
            {
                var hits = new IndexHits { Exact = true, MaxValuesPerPoint = MaxValuesPerPoint };
                if (_values.TryGetValue(v.Value.Integer, out var list)) hits.Add(list.Snapshot());
                return hits;
            }
            case MatchAny any when any.Values is { Count: > 0 } && any.Values.All(v => v.Kind == MatchScalarKind.Integer):
            {
                var hits = new IndexHits { Exact = true, MaxValuesPerPoint = MaxValuesPerPoint };
                foreach (var k in any.Values.Select(v => v.Integer).Distinct())
                    if (_values.TryGetValue(k, out var list)) hits.Add(list.Snapshot());
                return hits;
            }
            default:
                return null;
        }
    }

    protected override void WriteValues(BinaryWriter w, uint limit)
    {
        var snapshot = _values.ToArray();
        w.Write(snapshot.Length);
        foreach (var (value, list) in snapshot) { w.Write(value); WritePosting(w, list, limit); }
        _range.Write(w, limit, static (bw, v) => bw.Write(v));
    }

    protected override void ReadValues(BinaryReader r)
    {
        int n = r.ReadInt32();
        for (int i = 0; i < n; i++)
        {
            long value = r.ReadInt64();
            _values[value] = ReadPosting(r);
        }
        _range.Read(r, static br => br.ReadDouble());
    }
}
