using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Filtering.Conditions;

/// <summary>What a filter can look at for one point.</summary>
internal interface IFilterablePoint
{
    PointId Id { get; }
    /// <summary>The payload as UTF-8 JSON of an object; empty when none.</summary>
    ReadOnlySpan<byte> PayloadJson { get; }
    bool HasVector(string name);
}

/// <summary>
/// A filter checked and prepared once, then evaluated per point with Qdrant's semantics for every condition kind
/// (key paths, arrays, nested, is_empty/is_null, ranges, geo, values_count, full-text matching without an index,
/// has_id, has_vector, min_should). Immutable after <see cref="Compile"/>: one instance may serve many threads.
/// </summary>
internal sealed partial class FilterEvaluator
{
    private readonly ConditionNode _root;
    private readonly string[] _vectorNames;
    private readonly bool _readsPayload;

    private FilterEvaluator(ConditionNode root, string[] vectorNames)
    {
        _root = root;
        _vectorNames = vectorNames;
        _readsPayload = root.ReadsPayload;
    }

    /// <summary>Whether evaluation reads the payload; when false, <see cref="IFilterablePoint.PayloadJson"/> is never read.</summary>
    public bool ReadsPayload => _readsPayload;

    /// <summary>Validates the filter (bad key path, malformed polygon, ...: <see cref="Errors.BadRequestException"/>) and prepares it.</summary>
    public static FilterEvaluator Compile(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var compiler = new Compiler();
        var root = compiler.CompileFilter(filter, nested: false);
        return new FilterEvaluator(root, [.. compiler.VectorNames]);
    }

    /// <summary>Whether <paramref name="point"/> passes the filter. The payload is parsed at most once, and only if needed.</summary>
    public bool Matches<TPoint>(in TPoint point) where TPoint : IFilterablePoint, allows ref struct
    {
        int n = _vectorNames.Length;
        Span<bool> vectors = n <= 16 ? stackalloc bool[16] : new bool[n];
        for (int i = 0; i < n; i++) vectors[i] = point.HasVector(_vectorNames[i]);

        var ctx = new EvalContext(_readsPayload ? point.PayloadJson : default, point.Id, vectors[..n]);
        try
        {
            return _root.Evaluate(ref ctx, ConditionNode.TopScope);
        }
        finally
        {
            ctx.Release();
        }
    }
}
