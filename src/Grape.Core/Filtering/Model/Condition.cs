using Grape.Core.Points;

namespace Grape.Core.Filtering.Model;

/// <summary>One condition of a <see cref="Filter"/> clause: Qdrant's full set of condition kinds.</summary>
public abstract record Condition;

/// <summary>A condition on the payload value(s) at <see cref="Key"/>. Exactly one of the optional members is set.</summary>
public sealed record FieldCondition(string Key) : Condition
{
    public Match? Match { get; init; }
    public Range? Range { get; init; }
    public DatetimeRange? DatetimeRange { get; init; }
    public GeoBoundingBox? GeoBoundingBox { get; init; }
    public GeoRadius? GeoRadius { get; init; }
    public GeoPolygon? GeoPolygon { get; init; }
    public ValuesCount? ValuesCount { get; init; }
    /// <summary>Qdrant's <c>is_empty</c> inside a field condition (rare spelling of <see cref="IsEmptyCondition"/>).</summary>
    public bool? IsEmpty { get; init; }
    /// <summary>Qdrant's <c>is_null</c> inside a field condition (rare spelling of <see cref="IsNullCondition"/>).</summary>
    public bool? IsNull { get; init; }
}

/// <summary>Every value at the key is null or an empty array (so a missing key is empty; <c>[null]</c> is not).</summary>
public sealed record IsEmptyCondition(string Key) : Condition;

/// <summary>Some value at the key is JSON null. As in Qdrant, an array holding null (<c>[null]</c>) is not null, nor is a missing key.</summary>
public sealed record IsNullCondition(string Key) : Condition;

/// <summary>The point's id is one of <see cref="Ids"/>.</summary>
public sealed record HasIdCondition(IReadOnlySet<PointId> Ids) : Condition;

/// <summary>The point has a value for the named vector.</summary>
public sealed record HasVectorCondition(string Vector) : Condition;

/// <summary>The filter holds for at least one element of the array of objects at <see cref="Key"/>.</summary>
public sealed record NestedCondition(string Key, Filter Filter) : Condition;

/// <summary>A whole filter used as a condition (nesting of clauses).</summary>
public sealed record FilterCondition(Filter Filter) : Condition;
