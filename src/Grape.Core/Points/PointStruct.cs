using System.Text.Json.Nodes;

namespace Grape.Core.Points;

/// <summary>A point to write: its id, its vectors by name (<see cref="PointStruct.DefaultVector"/> is the unnamed one) and its payload.</summary>
public sealed record PointStruct
{
    /// <summary>The name of a collection's unnamed vector, as Qdrant spells it.</summary>
    public const string DefaultVector = "";

    public PointStruct(PointId id, IReadOnlyDictionary<string, Vector> vectors, JsonObject? payload = null)
    {
        Id = id;
        Vectors = vectors ?? throw new ArgumentNullException(nameof(vectors));
        Payload = payload;
    }

    /// <summary>A point with only the unnamed vector.</summary>
    public PointStruct(PointId id, float[] vector, JsonObject? payload = null)
        : this(id, new Dictionary<string, Vector> { [DefaultVector] = Vector.FromDense(vector) }, payload) { }

    public PointId Id { get; init; }
    public IReadOnlyDictionary<string, Vector> Vectors { get; init; }
    public JsonObject? Payload { get; init; }
}
