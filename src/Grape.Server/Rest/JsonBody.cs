using System.Buffers;
using System.Text.Json;
using Grape.Server.Errors;
using Microsoft.AspNetCore.Http;

namespace Grape.Server.Rest;

/// <summary>
/// A request body parsed as JSON, read with the size limit of <c>service.max_request_size_mb</c> (413 past it) into a
/// pooled buffer. Qdrant's serde rejects NaN/Infinity literals, comments and trailing commas; so does this reader.
/// The document is built on the first use of <see cref="Root"/>, so a hot path can read <see cref="Utf8"/> with a
/// streaming reader instead and build it only when it needs the general mapping (malformed JSON is reported then).
/// Dispose after mapping: the elements point into the buffer (values kept beyond it are cloned by the mappers).
/// </summary>
internal sealed class JsonBody : IDisposable
{
    /// <summary>Qdrant's depth limit for request bodies; streaming readers of a body use the same.</summary>
    public const int MaxDepth = 64;
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };
    private byte[]? _buffer;
    private readonly int _length;
    private JsonDocument? _document;

    private JsonBody(byte[] buffer, int length) { _buffer = buffer; _length = length; }

    /// <summary>The body's bytes (valid until disposed).</summary>
    public ReadOnlySpan<byte> Utf8 => Memory.Span;

    /// <summary>The body's bytes as memory, for values that keep a slice of them (valid until disposed).</summary>
    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(JsonBody))).AsMemory(0, _length);

    /// <summary>The body as a JSON document; malformed JSON is a 400 naming the line and column.</summary>
    public JsonElement Root => (_document ??= Parse()).RootElement;

    private JsonDocument Parse()
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(JsonBody));
        try { return JsonDocument.Parse(buffer.AsMemory(0, _length), Options); }
        catch (JsonException e) { throw RequestException.Format(Describe(e)); }
    }

    public static async ValueTask<JsonBody> ReadAsync(HttpContext context, long limit)
    {
        var request = context.Request;
        if (request.ContentLength is long declared && declared > limit) throw TooLarge(declared, limit);
        int capacity = (int)Math.Min(request.ContentLength ?? 16 * 1024, limit) + 1;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));
        int length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit) throw TooLarge(length, limit);
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                int read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
                if (length > limit) throw TooLarge(length, limit);
            }
            if (length == 0) throw RequestException.Format("EOF while parsing a value at line 1 column 0 (the request needs a JSON body)");
            return new JsonBody(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static RequestException TooLarge(long size, long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, $"Payload too large: JSON payload ({size} bytes) is larger than allowed (limit: {limit} bytes).");

    private static string Describe(JsonException e) =>
        e.LineNumber is long line ? $"invalid JSON at line {line + 1} column {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}" : FirstSentence(e.Message);

    private static string FirstSentence(string m)
    {
        int i = m.IndexOf(" Path:", StringComparison.Ordinal);
        if (i < 0) i = m.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return i > 0 ? m[..i] : m;
    }

    public void Dispose()
    {
        _document?.Dispose();
        if (_buffer is { } b) { _buffer = null; ArrayPool<byte>.Shared.Return(b); }
    }
}
