using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grape.Core.Points;

/// <summary>Payloads travel as <see cref="JsonObject"/> in the API and are stored as UTF-8 JSON; these convert between the two.</summary>
internal static class PayloadJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static byte[] ToUtf8(JsonObject? payload)
    {
        if (payload is null || payload.Count == 0) return [];
        // One buffer and writer per thread, reset between payloads: a batch of points allocates only the results.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        payload.WriteTo(writer);
        writer.Flush();
        var result = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1 << 20) { t_buffer = null; t_writer = null; } // don't pin a huge buffer to the thread
        return result;
    }

    public static JsonObject Parse(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty ? new JsonObject() : JsonNode.Parse(utf8)?.AsObject() ?? new JsonObject();
}
