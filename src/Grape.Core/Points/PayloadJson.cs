using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grape.Core.Points;

/// <summary>Payloads travel as <see cref="JsonObject"/> in the API and are stored as UTF-8 JSON; these convert between the two.</summary>
internal static class PayloadJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    public static byte[] ToUtf8(JsonObject? payload)
    {
        if (payload is null || payload.Count == 0) return [];
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) payload.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static JsonObject Parse(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty ? new JsonObject() : JsonNode.Parse(utf8)?.AsObject() ?? new JsonObject();
}
