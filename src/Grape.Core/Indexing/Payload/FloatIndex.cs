using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>float: every number at the key in a range column; serves <c>range</c> exactly.</summary>
internal sealed class FloatIndex(string key, PayloadFieldSchema schema) : FieldIndex(key, schema)
{
    private readonly RangeColumn<double> _range = new();

    protected override bool AddValue(uint offset, ref EvalContext ctx, int node)
    {
        if (!ctx.TryGetDouble(node, out double d)) return false;
        _range.Add(d, offset);
        return true;
    }

    public override IndexHits? Query(FieldCondition condition)
    {
        if (!IsSingle(condition) || condition.Range is not { } r) return null;
        var hits = new IndexHits { Exact = true, PartsSorted = false, MaxValuesPerPoint = MaxValuesPerPoint };
        _range.Query(r.Gt, r.Gte, r.Lt, r.Lte, hits);
        return hits;
    }

    protected override void WriteValues(BinaryWriter w, uint limit) => _range.Write(w, limit, static (bw, v) => bw.Write(v));

    protected override void ReadValues(BinaryReader r) => _range.Read(r, static br => br.ReadDouble());
}
