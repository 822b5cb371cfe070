using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>bool: one posting list per value; serves boolean <c>match.value</c> exactly.</summary>
internal sealed class BoolIndex(string key, PayloadFieldSchema schema) : FieldIndex(key, schema)
{
    private PostingList _true = new(), _false = new();

    public PostingList True => _true;
    public PostingList False => _false;

    protected override bool AddValue(uint offset, ref EvalContext ctx, int node)
    {
        switch (ctx.Kind(node))
        {
            case PayloadNodeKind.True: _true.Add(offset); return true;
            case PayloadNodeKind.False: _false.Add(offset); return true;
            default: return false;
        }
    }

    public override IndexHits? Query(FieldCondition condition)
    {
        if (!IsSingle(condition) || condition.Match is not MatchValue { Value.Kind: MatchScalarKind.Bool } v) return null;
        var hits = new IndexHits { Exact = true, MaxValuesPerPoint = MaxValuesPerPoint };
        hits.Add((v.Value.Bool ? _true : _false).Snapshot());
        return hits;
    }

    protected override void WriteValues(BinaryWriter w, uint limit)
    {
        WritePosting(w, _true, limit);
        WritePosting(w, _false, limit);
    }

    protected override void ReadValues(BinaryReader r)
    {
        _true = ReadPosting(r);
        _false = ReadPosting(r);
    }
}
