namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// Finds the values at a key path the way Qdrant's <c>JsonPath::value_get</c> does: <c>.key</c> steps into an
/// object, <c>[i]</c> picks one element, <c>[]</c> fans out over every element; a step that does not fit the
/// value's type yields nothing. The values themselves are not flattened here (an array at the end of the path is
/// one value); conditions look into it one level, as Qdrant's checkers do.
/// </summary>
internal static class PathWalker
{
    /// <summary>Visits every value at <paramref name="path"/> under object <paramref name="root"/> until the visitor returns true.</summary>
    /// <remarks><c>count</c> is incremented per value visited, so callers can tell "no value" from "no match".</remarks>
    public static bool AnyValue(ref EvalContext ctx, int root, JsonPathSegment[] path, IValueVisitor visitor, ref int count)
    {
        if (root < 0) return false;
        int first = ctx.Tape.FindProperty(ctx.Json, root, path[0].KeyUtf8);
        return first >= 0 && Walk(ref ctx, first, path, 1, visitor, ref count);
    }

    private static bool Walk(ref EvalContext ctx, int node, JsonPathSegment[] path, int step, IValueVisitor visitor, ref int count)
    {
        var tape = ctx.Tape;
        while (step < path.Length)
        {
            ref readonly var seg = ref path[step];
            var kind = tape[node].Kind;
            switch (seg.Kind)
            {
                case JsonPathSegmentKind.Key:
                    if (kind != PayloadNodeKind.Object) return false;
                    node = tape.FindProperty(ctx.Json, node, seg.KeyUtf8);
                    if (node < 0) return false;
                    break;
                case JsonPathSegmentKind.Index:
                    if (kind != PayloadNodeKind.Array) return false;
                    node = tape.ElementAt(node, seg.Index);
                    if (node < 0) return false;
                    break;
                default: // wildcard: every element continues with the rest of the path
                    if (kind != PayloadNodeKind.Array) return false;
                    for (int e = node + 1, end = tape[node].End; e < end; e = tape[e].End)
                        if (Walk(ref ctx, e, path, step + 1, visitor, ref count)) return true;
                    return false;
            }
            step++;
        }
        count++;
        return visitor.Visit(ref ctx, node);
    }
}
