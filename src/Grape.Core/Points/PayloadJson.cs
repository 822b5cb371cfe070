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
        try
        {
            payload.WriteTo(writer);
            writer.Flush();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // A string that is no valid Unicode (a lone surrogate escape such as "\ud800"): JSON parsers accept the
            // escape, but no UTF-8 exists for it. Qdrant refuses such a body as a format error; so does Grape.
            throw new Errors.BadRequestException($"Format error in JSON body: invalid string in payload: {e.Message}");
        }
        var result = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 1 << 20) { t_buffer = null; t_writer = null; } // don't pin a huge buffer to the thread
        return result;
    }

    public static JsonObject Parse(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty ? new JsonObject() : JsonNode.Parse(utf8)?.AsObject() ?? new JsonObject();
}
