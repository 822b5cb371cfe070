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

    /// <summary>The stored form of a payload object: compact JSON written with the default encoder, an object with a
    /// key twice (possible in one parsed from JSON) keeping the key's first place and its last value, as Qdrant's
    /// maps do; an empty object is no payload (no bytes).</summary>
    public static byte[] ToUtf8(JsonObject? payload)
    {
        // Not payload.Count: it builds the object's dictionary, which throws on a key given twice in parsed JSON.
        if (payload is null) return [];
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
        var result = Stored(buffer.WrittenSpan);
        if (buffer.Capacity > 1 << 20) { t_buffer = null; t_writer = null; } // don't pin a huge buffer to the thread
        return result;
    }

    /// <summary>Compact JSON in the writer's form (<see cref="ToUtf8"/>'s output, or text already in it) as stored; for
    /// text, <see cref="HasRepeatedKey"/>'s reading pass is also the grammar check.</summary>
    private static byte[] Stored(ReadOnlySpan<byte> compact)
    {
        if (compact.SequenceEqual("{}"u8)) return []; // an empty object is no payload
        return HasRepeatedKey(compact) ? LastValueWins(compact) : compact.ToArray();
    }

    /// <summary>
    /// Whether an object of the compact JSON has a key twice (true also when the open objects hold more than 64 keys
    /// together, which <see cref="LastValueWins"/> then checks exactly). Keys compare as bytes: in the writer's form a
    /// key has one spelling.
    /// </summary>
    private static bool HasRepeatedKey(ReadOnlySpan<byte> compact)
    {
        const int MaxKeys = 64;
        var reader = new Utf8JsonReader(compact, new JsonReaderOptions { MaxDepth = 64 });
        Span<int> firstKey = stackalloc int[66]; // per open container, the index of its first key in the lists below
        Span<int> starts = stackalloc int[MaxKeys], lengths = stackalloc int[MaxKeys];
        int depth = 0, keys = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    firstKey[depth++] = keys;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    keys = firstKey[--depth];
                    break;
                case JsonTokenType.PropertyName:
                {
                    if (keys == MaxKeys) return true;
                    var key = reader.ValueSpan;
                    for (int k = firstKey[depth - 1]; k < keys; k++)
                        if (lengths[k] == key.Length && compact.Slice(starts[k], key.Length).SequenceEqual(key)) return true;
                    starts[keys] = (int)reader.TokenStartIndex + 1;
                    lengths[keys++] = key.Length;
                    break;
                }
            }
        }
        return false;
    }

    /// <summary>The compact JSON rewritten with each object's keys once: at the first place, with the last value.</summary>
    private static byte[] LastValueWins(ReadOnlySpan<byte> compact)
    {
        using var document = JsonDocument.Parse(compact.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        var buffer = new ArrayBufferWriter<byte>(compact.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) Write(document.RootElement, writer);
        return buffer.WrittenSpan.ToArray();

        static void Write(JsonElement e, Utf8JsonWriter w)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                {
                    var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                    var order = new List<string>();
                    foreach (var p in e.EnumerateObject())
                    {
                        if (!values.ContainsKey(p.Name)) order.Add(p.Name);
                        values[p.Name] = p.Value;
                    }
                    w.WriteStartObject();
                    foreach (var name in order)
                    {
                        w.WritePropertyName(name);
                        Write(values[name], w);
                    }
                    w.WriteEndObject();
                    break;
                }
                case JsonValueKind.Array:
                    w.WriteStartArray();
                    foreach (var item in e.EnumerateArray()) Write(item, w);
                    w.WriteEndArray();
                    break;
                default:
                    e.WriteTo(w);
                    break;
            }
        }
    }

    /// <summary>Bytes the stored form never has outside a string's plain characters: whitespace, escapes, and what
    /// the writer's default encoder escapes (HTML-sensitive ASCII, everything past ASCII).</summary>
    private static readonly SearchValues<byte> NotStoredForm = SearchValues.Create(NotStoredFormBytes());

    private static byte[] NotStoredFormBytes()
    {
        var bytes = new List<byte> { (byte)' ', (byte)'\t', (byte)'\n', (byte)'\r', (byte)'\\', (byte)'<', (byte)'>', (byte)'&', (byte)'\'', (byte)'+', (byte)'`' };
        for (int b = 0x80; b <= 0xFF; b++) bytes.Add((byte)b);
        return [.. bytes];
    }

    /// <summary>
    /// The stored form of a payload given as JSON text (<see cref="PointStruct.PayloadUtf8"/>): the same bytes
    /// <see cref="ToUtf8"/> writes for the object the text describes. The text must be one JSON object (depth at most
    /// 64, nothing after it); compact text without escapes or characters the writer escapes is already that form and
    /// is copied, anything else goes through the object.
    /// </summary>
    public static byte[] FromText(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty) return [];
        try
        {
            // Not yet the stored form: parsed (the grammar, depth and nothing after the value checked), then written.
            if (utf8.IndexOfAny(NotStoredForm) >= 0)
                return JsonNode.Parse(utf8, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) is JsonObject payload ? ToUtf8(payload) : throw NotAnObject();
            // Already the stored form (no whitespace): an object starts with '{', and the one reading pass that looks
            // for a repeated key also checks the grammar and that nothing follows the object.
            if (utf8[0] != (byte)'{') throw NotAnObject();
            return Stored(utf8);
        }
        catch (JsonException e)
        {
            throw new Errors.BadRequestException($"Format error in JSON body: invalid payload: {e.Message}");
        }
    }

    private static Errors.BadRequestException NotAnObject() => new("Format error in JSON body: a payload must be a JSON object");

    public static JsonObject Parse(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty ? new JsonObject() : JsonNode.Parse(utf8)?.AsObject() ?? new JsonObject();
}
