namespace Grape.Core.Filtering.Conditions;

/// <summary>A compiled condition. Built once per request by <see cref="FilterEvaluator.Compile(Model.Filter)"/>, then evaluated per point.</summary>
internal abstract class ConditionNode
{
    /// <summary>Marks evaluation against the point's whole payload (parsed lazily) rather than an element of a nested array.</summary>
    public const int TopScope = -2;

    /// <remarks><c>scope</c> is the object node key paths start from, or <see cref="TopScope"/>.</remarks>
    public abstract bool Evaluate(ref EvalContext ctx, int scope);

    /// <summary>Whether this condition reads the payload (if none does, the payload is never touched).</summary>
    public abstract bool ReadsPayload { get; }

    protected static int ResolveScope(ref EvalContext ctx, int scope) => scope == TopScope ? ctx.Root() : scope;
}
