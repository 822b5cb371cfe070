namespace Grape.Core.Filtering.Conditions;

/// <summary>Checks one non-array payload value (Qdrant's <c>check_match</c>); arrays are opened by the caller.</summary>
internal abstract class ValueMatcher
{
    public abstract bool Match(ref EvalContext ctx, int node);
}
