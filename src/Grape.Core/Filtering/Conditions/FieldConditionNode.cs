namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// A field condition, checked per value at the key with Qdrant's rules (<c>FieldCondition::check</c>):
/// values_count, is_empty and is_null look at the value whole; everything else matches a scalar directly or any
/// element of an array (one level: an array inside an array is not flattened). With no value at the key the
/// outcome is fixed (<c>check_empty</c>): values_count counts 0, is_empty/is_null follow their flag, others fail.
/// </summary>
internal sealed class FieldConditionNode : ConditionNode, IValueVisitor
{
    private readonly JsonPath _path;
    private readonly ValueMatcher[] _matchers;
    private readonly Model.ValuesCount? _valuesCount;
    private readonly bool? _isEmpty, _isNull;
    private readonly bool _whenMissing;

    public FieldConditionNode(JsonPath path, ValueMatcher[] matchers, Model.ValuesCount? valuesCount, bool? isEmpty, bool? isNull)
    {
        _path = path;
        _matchers = matchers;
        _valuesCount = valuesCount;
        _isEmpty = isEmpty;
        _isNull = isNull;
        _whenMissing = valuesCount is not null ? CountFits(valuesCount, 0)
            : isEmpty is not null ? isEmpty.Value
            : isNull is not null && !isNull.Value;
    }

    public override bool ReadsPayload => true;

    public override bool Evaluate(ref EvalContext ctx, int scope)
    {
        int count = 0;
        bool any = PathWalker.AnyValue(ref ctx, ResolveScope(ref ctx, scope), _path.Segments, this, ref count);
        return count == 0 ? _whenMissing : any;
    }

    public bool Visit(ref EvalContext ctx, int node)
    {
        var kind = ctx.Kind(node);
        if (_valuesCount is not null)
        {
            int n = kind switch { PayloadNodeKind.Null => 0, PayloadNodeKind.Array => ctx.Tape[node].Count, _ => 1 };
            return CountFits(_valuesCount, n);
        }
        if (_isEmpty is bool isEmpty)
            return kind switch
            {
                PayloadNodeKind.Null => isEmpty,
                PayloadNodeKind.Array => (ctx.Tape[node].Count == 0) == isEmpty,
                _ => !isEmpty,
            };
        if (_isNull is bool isNull)
            return kind switch
            {
                PayloadNodeKind.Null => isNull,
                PayloadNodeKind.Array => ArrayHasNull(ref ctx, node) == isNull,
                _ => !isNull,
            };
        if (kind == PayloadNodeKind.Array)
        {
            var tape = ctx.Tape;
            for (int e = node + 1, end = tape[node].End; e < end; e = tape[e].End)
                if (MatchOne(ref ctx, e)) return true;
            return false;
        }
        return MatchOne(ref ctx, node);
    }

    private bool MatchOne(ref EvalContext ctx, int node)
    {
        foreach (var m in _matchers)
            if (m.Match(ref ctx, node)) return true;
        return false;
    }

    private static bool ArrayHasNull(ref EvalContext ctx, int node)
    {
        var tape = ctx.Tape;
        for (int e = node + 1, end = tape[node].End; e < end; e = tape[e].End)
            if (tape[e].Kind == PayloadNodeKind.Null) return true;
        return false;
    }

    private static bool CountFits(Model.ValuesCount c, int n) =>
        (c.Lt is not int lt || n < lt) && (c.Gt is not int gt || n > gt)
        && (c.Lte is not int lte || n <= lte) && (c.Gte is not int gte || n >= gte);
}
