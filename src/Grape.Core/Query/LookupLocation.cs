namespace Grape.Core.Query;

/// <summary>Where vectors named by point id are read: another collection, and optionally another vector name.</summary>
public sealed record LookupLocation(string Collection)
{
    /// <summary>The vector name in <see cref="Collection"/>; null means the query's <c>using</c>.</summary>
    public string? Vector { get; init; }
}
