using Grape.Core.Points;

namespace Grape.Core.Query;

/// <summary>A group of points sharing one value of the group-by key, best first; <see cref="Lookup"/> when requested and found.</summary>
public sealed record PointGroup(GroupId Id, IReadOnlyList<ScoredPoint> Hits, Record? Lookup);
