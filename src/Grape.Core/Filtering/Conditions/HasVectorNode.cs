namespace Grape.Core.Filtering.Conditions;

/// <summary>has_vector: the evaluator asks the point about each named vector once and passes the answers in order.</summary>
internal sealed class HasVectorNode(int slot) : ConditionNode
{
    public override bool ReadsPayload => false;

    public override bool Evaluate(ref EvalContext ctx, int scope) => ctx.Vectors[slot];
}
