using System.Text.Json;
using Grape.Core.Points;

namespace Grape.Server.Rest.Json;

/// <summary>
/// Scored points written without the DTO layer when each carries only its id, version and score (no payload asked
/// for, no vectors, no order value): the usual search answer. The bytes are those the DTO serializer writes for the
/// same points (<see cref="Mapping.ResultMapper.Scored"/> through <see cref="SearchJsonContext"/>): property order
/// id, version, score, nulls left out.
/// </summary>
internal static class ScoredPointsJson
{
    public static bool IsPlain(IReadOnlyList<ScoredPoint> points, PayloadSelector payload)
    {
        if (payload.Enabled) return false;
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (p.Vectors is not null || p.OrderValue is not null) return false;
        }
        return true;
    }

    public static void WritePlain(Utf8JsonWriter w, IReadOnlyList<ScoredPoint> points)
    {
        w.WriteStartArray();
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            w.WriteStartObject();
            w.WritePropertyName(Id);
            if (p.Id.IsUuid) w.WriteStringValue(p.Id.Uuid.ToString("D"));
            else w.WriteNumberValue(p.Id.Number);
            w.WriteNumber(Version, p.Version);
            w.WriteNumber(Score, p.Score);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>Qdrant's <c>QueryResponse</c> of such points: <c>{"points": [...]}</c>.</summary>
    public static void WriteQueryResponse(Utf8JsonWriter w, IReadOnlyList<ScoredPoint> points)
    {
        w.WriteStartObject();
        w.WritePropertyName(Points);
        WritePlain(w, points);
        w.WriteEndObject();
    }

    private static readonly JsonEncodedText Points = JsonEncodedText.Encode("points");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText Score = JsonEncodedText.Encode("score");
}
