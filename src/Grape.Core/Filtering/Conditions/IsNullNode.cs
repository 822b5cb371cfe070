namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// is_null: some value at the key is JSON null. As in Qdrant's <c>check_is_null</c>, an array holding null
/// (<c>[null]</c>) is an array, not null; a missing key is not null.
/// </summary>
internal sealed class IsNullNode(JsonPath path) : ConditionNode, IValueVisitor
{
    public override bool ReadsPayload => true;

    public override bool Evaluate(ref EvalContext ctx, int scope)
    {
        int count = 0;
        return PathWalker.AnyValue(ref ctx, ResolveScope(ref ctx, scope), path.Segments, this, ref count);
    }

    public bool Visit(ref EvalContext ctx, int node) => ctx.Kind(node) == PayloadNodeKind.Null;
}
