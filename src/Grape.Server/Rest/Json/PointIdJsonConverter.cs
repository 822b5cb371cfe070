using System.Text.Json;
using System.Text.Json.Serialization;
using Grape.Core.Points;

namespace Grape.Server.Rest.Json;

/// <summary>Qdrant's <c>ExtendedPointId</c>: a JSON number for u64 ids, a hyphenated lower-case string for UUIDs.</summary>
internal sealed class PointIdJsonConverter : JsonConverter<PointId>
{
    public override PointId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetUInt64(out ulong n) => PointId.FromNumber(n),
        JsonTokenType.String when Guid.TryParse(reader.GetString(), out var g) => PointId.FromUuid(g),
        _ => throw new JsonException("expected an unsigned integer or a UUID string"),
    };

    public override void Write(Utf8JsonWriter writer, PointId value, JsonSerializerOptions options)
    {
        if (value.IsUuid) writer.WriteStringValue(value.Uuid.ToString("D"));
        else writer.WriteNumberValue(value.Number);
    }
}
