namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// nested: the inner filter holds for at least one object element of the array at the key (the key gets
/// <c>[]</c> appended, Qdrant's <c>array_key</c>); inner keys are relative to that element.
/// </summary>
internal sealed class NestedNode(JsonPath arrayPath, ConditionNode inner) : ConditionNode, IValueVisitor
{
    public override bool ReadsPayload => true;

    public override bool Evaluate(ref EvalContext ctx, int scope)
    {
        int count = 0;
        return PathWalker.AnyValue(ref ctx, ResolveScope(ref ctx, scope), arrayPath.Segments, this, ref count);
    }

    public bool Visit(ref EvalContext ctx, int node) =>
        ctx.Kind(node) == PayloadNodeKind.Object && inner.Evaluate(ref ctx, node);
}
