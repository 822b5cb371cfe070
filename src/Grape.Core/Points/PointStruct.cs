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
        : this(id, Vector.FromDense(vector), payload) { }

    /// <summary>A point with only the unnamed vector (dense, multivector, or an array handed over with
    /// <see cref="Vector.FromDenseHandedOver"/>).</summary>
    public PointStruct(PointId id, Vector vector, JsonObject? payload = null)
        : this(id, new UnnamedVectorMap(vector), payload) { }

    public PointId Id { get; init; }
    public IReadOnlyDictionary<string, Vector> Vectors { get; init; }
    public JsonObject? Payload { get; init; }

    /// <summary>
    /// The payload as UTF-8 JSON text of one object, for a caller that holds it as text (a server reading a request
    /// body): checked and stored as it is when it is already in the stored form (compact, no escapes), so no
    /// <see cref="JsonObject"/> is built for it. The alternative to <see cref="Payload"/>: set at most one of the two
    /// (both is a <see cref="Errors.BadRequestException"/>); empty means none. Text that is not one JSON object is
    /// refused with a <see cref="Errors.BadRequestException"/> when the point is written.
    /// </summary>
    public ReadOnlyMemory<byte> PayloadUtf8 { get; init; }
}
