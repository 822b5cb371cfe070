using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>datetime: strings the evaluator parses as datetimes, as UTC ticks in a range column; serves datetime <c>range</c> exactly.</summary>
internal sealed class DatetimeIndex(string key, PayloadFieldSchema schema) : FieldIndex(key, schema)
{
    private readonly RangeColumn<long> _range = new();

    protected override bool AddValue(uint offset, ref EvalContext ctx, int node)
    {
        if (ctx.Kind(node) != PayloadNodeKind.String || !PayloadDatetime.TryParseUtcTicks(ctx.Bytes(node), out long t)) return false;
        _range.Add(t, offset);
        return true;
    }

    public override IndexHits? Query(FieldCondition condition)
    {
        if (!IsSingle(condition) || condition.DatetimeRange is not { } r) return null;
        var hits = new IndexHits { Exact = true, PartsSorted = false, MaxValuesPerPoint = MaxValuesPerPoint };
        _range.Query(r.Gt?.UtcTicks, r.Gte?.UtcTicks, r.Lt?.UtcTicks, r.Lte?.UtcTicks, hits);
        return hits;
    }

    protected override void WriteValues(BinaryWriter w, uint limit) => _range.Write(w, limit, static (bw, v) => bw.Write(v));

    protected override void ReadValues(BinaryReader r) => _range.Read(r, static br => br.ReadInt64());
}
