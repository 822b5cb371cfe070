namespace Grape.Core.Filtering.Conditions;

/// <summary>A condition with a fixed outcome, e.g. has_id inside nested, which Qdrant never matches.</summary>
internal sealed class ConstantNode(bool value) : ConditionNode
{
    public static ConstantNode False { get; } = new(false);

    public override bool ReadsPayload => false;

    public override bool Evaluate(ref EvalContext ctx, int scope) => value;
}
