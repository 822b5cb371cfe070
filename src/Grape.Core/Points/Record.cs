using System.Text.Json.Nodes;

namespace Grape.Core.Points;

/// <summary>A stored point as read back (Qdrant's <c>Record</c>).</summary>
public sealed record Record(PointId Id, JsonObject? Payload, IReadOnlyDictionary<string, Vector>? Vectors);

/// <summary>A point found by a search, with its score (Qdrant's <c>ScoredPoint</c>).</summary>
public sealed record ScoredPoint(PointId Id, ulong Version, float Score, JsonObject? Payload, IReadOnlyDictionary<string, Vector>? Vectors)
{
    /// <summary>The payload value an <c>order_by</c> query placed the point by; null for other queries.</summary>
    public OrderValue? OrderValue { get; init; }
}
