using Grape.Core.Points;

namespace Grape.Core.Filtering.Conditions;

internal sealed class HasIdNode(HashSet<PointId> ids) : ConditionNode
{
    public override bool ReadsPayload => false;

    public override bool Evaluate(ref EvalContext ctx, int scope) => ids.Contains(ctx.Id);
}
