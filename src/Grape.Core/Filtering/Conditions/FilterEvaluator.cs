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
/// CONTRACT (to implement): a filter checked and prepared once, then evaluated per point with Qdrant's semantics
/// for every condition kind (key paths, arrays, nested, is_empty/is_null, ranges, geo, values_count, full-text
/// matching without an index, has_id, has_vector, min_should).
/// </summary>
internal sealed class FilterEvaluator
{
    /// <summary>Validates the filter (bad key path, malformed polygon, ...: <see cref="Errors.BadRequestException"/>) and prepares it.</summary>
    public static FilterEvaluator Compile(Filter filter) => throw new NotImplementedException();

    public bool Matches<TPoint>(in TPoint point) where TPoint : IFilterablePoint, allows ref struct => throw new NotImplementedException();
}
