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
/// has_id, has_vector, min_should). Immutable after <see cref="Compile(Filter)"/>: one instance may serve many threads.
/// </summary>
internal sealed partial class FilterEvaluator
{
    private readonly ConditionNode _root;
    private readonly string[] _vectorNames;
    private readonly bool _readsPayload;

    private FilterEvaluator(Filter source, ConditionNode root, string[] vectorNames)
    {
        Source = source;
        _root = root;
        _vectorNames = vectorNames;
        _readsPayload = root.ReadsPayload;
    }

    /// <summary>The filter this was compiled from (the planner reads it to find indexed conditions).</summary>
    public Filter Source { get; }

    /// <summary>Whether evaluation reads the payload; when false, <see cref="IFilterablePoint.PayloadJson"/> is never read.</summary>
    public bool ReadsPayload => _readsPayload;

    /// <summary>Validates the filter (bad key path, malformed polygon, ...: <see cref="Errors.BadRequestException"/>) and prepares it.</summary>
    public static FilterEvaluator Compile(Filter filter) => Compile(filter, null);

    /// <summary>
    /// As <see cref="Compile(Filter)"/>, with the collection's full-text indexes: <c>match.text</c>,
    /// <c>text_any</c> and <c>phrase</c> on a key with a text index compare tokens (Qdrant's indexed semantics)
    /// instead of substrings. <paramref name="textIndex"/> maps a full key path to its tokenizer, or null.
    /// </summary>
    public static FilterEvaluator Compile(Filter filter, Func<string, Indexing.Payload.TextTokenizer?>? textIndex)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var compiler = new Compiler(textIndex);
        var root = compiler.CompileFilter(filter, nested: false);
        return new FilterEvaluator(filter, root, [.. compiler.VectorNames]);
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
