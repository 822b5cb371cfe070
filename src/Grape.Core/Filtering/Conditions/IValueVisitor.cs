namespace Grape.Core.Filtering.Conditions;

/// <summary>Receives each value found at a key path; returning true stops the walk (a match was found).</summary>
internal interface IValueVisitor
{
    bool Visit(ref EvalContext ctx, int node);
}
