namespace Grape.Core.Filtering.Conditions;

/// <summary>is_empty: every value at the key is null or <c>[]</c> (so a missing key is empty). Qdrant's <c>check_is_empty</c>.</summary>
internal sealed class IsEmptyNode(JsonPath path) : ConditionNode, IValueVisitor
{
    public override bool ReadsPayload => true;

    public override bool Evaluate(ref EvalContext ctx, int scope)
    {
        int count = 0;
        return !PathWalker.AnyValue(ref ctx, ResolveScope(ref ctx, scope), path.Segments, this, ref count);
    }

    // Stops at the first value that is not empty.
    public bool Visit(ref EvalContext ctx, int node) => ctx.Kind(node) switch
    {
        PayloadNodeKind.Null => false,
        PayloadNodeKind.Array => ctx.Tape[node].Count != 0,
        _ => true,
    };
}
