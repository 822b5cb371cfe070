namespace Grape.Core.Filtering.Model;

/// <summary>Numeric range over int and float payload values; a missing bound is open.</summary>
public sealed record Range
{
    public double? Gt { get; init; }
    public double? Gte { get; init; }
    public double? Lt { get; init; }
    public double? Lte { get; init; }
}

/// <summary>Datetime range (RFC 3339 payload strings); a missing bound is open.</summary>
public sealed record DatetimeRange
{
    public DateTimeOffset? Gt { get; init; }
    public DateTimeOffset? Gte { get; init; }
    public DateTimeOffset? Lt { get; init; }
    public DateTimeOffset? Lte { get; init; }
}

/// <summary>Bounds on the number of values at a key (an array counts its elements, a scalar or object 1, null or a missing key 0).</summary>
public sealed record ValuesCount
{
    public int? Gt { get; init; }
    public int? Gte { get; init; }
    public int? Lt { get; init; }
    public int? Lte { get; init; }
}
