namespace Grape.Core.Filtering.Conditions;

/// <summary>range: a number (integer or float, compared as double) within the bounds; strings never match.</summary>
internal sealed class RangeMatcher(Model.Range range) : ValueMatcher
{
    private readonly double _gt = range.Gt ?? double.NegativeInfinity, _gte = range.Gte ?? double.NegativeInfinity;
    private readonly double _lt = range.Lt ?? double.PositiveInfinity, _lte = range.Lte ?? double.PositiveInfinity;
    private readonly bool _hasGt = range.Gt is not null, _hasLt = range.Lt is not null;

    public override bool Match(ref EvalContext ctx, int node) =>
        ctx.TryGetDouble(node, out double v)
        && (!_hasGt || v > _gt) && v >= _gte && (!_hasLt || v < _lt) && v <= _lte;
}

/// <summary>datetime_range: a string Qdrant parses as a datetime (naive ones are UTC) within the bounds.</summary>
internal sealed class DatetimeRangeMatcher(Model.DatetimeRange range) : ValueMatcher
{
    private readonly long _gt = range.Gt?.UtcTicks ?? long.MinValue, _gte = range.Gte?.UtcTicks ?? long.MinValue;
    private readonly long _lt = range.Lt?.UtcTicks ?? long.MaxValue, _lte = range.Lte?.UtcTicks ?? long.MaxValue;
    private readonly bool _hasGt = range.Gt is not null, _hasLt = range.Lt is not null;

    public override bool Match(ref EvalContext ctx, int node) =>
        ctx.Kind(node) == PayloadNodeKind.String
        && PayloadDatetime.TryParseUtcTicks(ctx.Bytes(node), out long t)
        && (!_hasGt || t > _gt) && t >= _gte && (!_hasLt || t < _lt) && t <= _lte;
}
