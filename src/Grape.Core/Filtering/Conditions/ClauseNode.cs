namespace Grape.Core.Filtering.Conditions;

/// <summary>must / should / must_not / min_should of one filter.</summary>
internal sealed class ClauseNode(ConditionNode[]? must, ConditionNode[]? should, ConditionNode[]? mustNot,
    ConditionNode[]? minShould, int minCount) : ConditionNode
{
    public override bool ReadsPayload =>
        Any(must) || Any(should) || Any(mustNot) || Any(minShould);

    private static bool Any(ConditionNode[]? nodes)
    {
        if (nodes is null) return false;
        foreach (var n in nodes) if (n.ReadsPayload) return true;
        return false;
    }

    public override bool Evaluate(ref EvalContext ctx, int scope)
    {
        if (must is not null)
            foreach (var c in must)
                if (!c.Evaluate(ref ctx, scope)) return false;
        if (mustNot is not null)
            foreach (var c in mustNot)
                if (c.Evaluate(ref ctx, scope)) return false;
        if (should is not null)
        {
            // An empty array here is the nested-filter case (Qdrant's plain checker: an empty `any` is false);
            // the compiler drops an empty `should` everywhere else.
            bool any = false;
            foreach (var c in should)
                if (c.Evaluate(ref ctx, scope)) { any = true; break; }
            if (!any) return false;
        }
        if (minShould is not null)
        {
            int remaining = minCount;
            for (int i = 0; i < minShould.Length && remaining > 0; i++)
            {
                if (minShould.Length - i < remaining) return false; // can no longer reach min_count
                if (minShould[i].Evaluate(ref ctx, scope)) remaining--;
            }
            if (remaining > 0) return false;
        }
        return true;
    }
}
