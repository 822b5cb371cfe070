namespace Grape.Core.Query;

/// <summary>
/// Order points by a payload value (Qdrant's <c>OrderBy</c>). <see cref="StartFrom"/> skips values before it (below
/// for ascending, above for descending); a datetime start is given as UTC ticks converted to seconds by the mapper.
/// </summary>
public sealed record OrderBy(string Key)
{
    public OrderDirection Direction { get; init; } = OrderDirection.Asc;
    /// <summary>The first value to return (inclusive); numbers, or datetimes as Unix seconds.</summary>
    public double? StartFrom { get; init; }
}
