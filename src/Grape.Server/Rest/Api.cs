using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Server.Errors;
using Grape.Server.Hosting;
using Grape.Server.Observability;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Microsoft.AspNetCore.Http;

namespace Grape.Server.Rest;

/// <summary>What every REST handler needs: the database, route values, query parameters, the body and the envelope.</summary>
internal static class Api
{
    public static GrapeDatabase Db(HttpContext context) => RequestTiming.HostOf(context).Database;

    public static string Route(HttpContext context, string name) =>
        context.Request.RouteValues.TryGetValue(name, out var v) && v is string s ? Uri.UnescapeDataString(s) : "";

    public static string Collection(HttpContext context) => Route(context, "collection_name");

    public static ValueTask<JsonBody> BodyAsync(HttpContext context) =>
        JsonBody.ReadAsync(context, RequestTiming.SettingsOf(context).MaxRequestBytes);

    /// <summary>Parses <c>wait</c> and <c>ordering</c> (and checks <c>timeout</c>) as Qdrant's write endpoints do.</summary>
    public static WriteOptions Write(HttpContext context)
    {
        var q = context.Request.Query;
        bool wait = q.TryGetValue("wait", out var w) && ParseBool("wait", w.ToString());
        var ordering = WriteOrdering.Weak;
        if (q.TryGetValue("ordering", out var o))
        {
            ordering = o.ToString() switch
            {
                "weak" => WriteOrdering.Weak,
                "medium" => WriteOrdering.Medium,
                "strong" => WriteOrdering.Strong,
                var other => throw RequestException.Query($"ordering: unknown variant `{other}`, expected one of `weak`, `medium`, `strong`"),
            };
        }
        Timeout(context);
        return wait ? new WriteOptions(true, ordering) : ordering == WriteOrdering.Weak ? WriteOptions.Default : new WriteOptions(false, ordering);
    }

    /// <summary>Checks the read parameters <c>consistency</c> and <c>timeout</c>; a single node always reads locally.</summary>
    public static void Read(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("consistency", out var c))
        {
            string s = c.ToString();
            if (s is not ("majority" or "quorum" or "all") && !ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw RequestException.Query($"consistency: `{s}` is neither a non-negative integer nor one of `majority`, `quorum`, `all`");
        }
        Timeout(context);
    }

    /// <summary>The request's cancellation: client disconnect, or <c>timeout</c> seconds when given.</summary>
    public static CancellationToken Cancellation(HttpContext context)
    {
        if (Timeout(context) is not { } seconds) return context.RequestAborted;
        var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        context.Response.RegisterForDispose(cts);
        return cts.Token;
    }

    private static int? Timeout(HttpContext context)
    {
        if (!context.Request.Query.TryGetValue("timeout", out var t)) return null;
        if (!int.TryParse(t.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
            throw RequestException.Query($"timeout: invalid digit found in string `{t}`");
        if (seconds < 1) throw new RequestException(422, $"Validation error in query parameters: [timeout: value {seconds} invalid, must be 1 or more]");
        return seconds;
    }

    private static bool ParseBool(string name, string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw RequestException.Query($"{name}: provided string was not `true` or `false`"),
    };

    // Responses are JSON for API clients, never embedded in HTML: no need to escape `, ', <, > or non-ASCII.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes Qdrant's envelope <c>{"result": ..., "status": "ok", "time": seconds}</c>.</summary>
    public static Task OkAsync<T>(HttpContext context, T result, JsonTypeInfo<T> typeInfo) =>
        OkAsync(context, (result, typeInfo), static (w, r) => JsonSerializer.Serialize(w, r.result, r.typeInfo));

    /// <summary>The envelope around a result that <paramref name="writeResult"/> writes itself (one JSON value).</summary>
    public static Task OkAsync<TState>(HttpContext context, TState state, Action<Utf8JsonWriter, TState> writeResult)
    {
        double time = RequestTiming.Elapsed(context);
        // The whole answer is written to a buffer first, so it goes out with a Content-Length (as Qdrant's do) instead
        // of chunked, and no writer is made per answer: the buffer and writer are this thread's; nothing here awaits.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var w = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        w.Reset(buffer);
        w.WriteStartObject();
        w.WritePropertyName("result");
        writeResult(w, state);
        w.WriteString("status", "ok");
        w.WriteNumber("time", time);
        w.WriteEndObject();
        w.Flush();
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        response.BodyWriter.Write(buffer.WrittenSpan);
        if (buffer.Capacity > 1 << 20) { t_buffer = null; t_writer = null; } // don't pin a huge answer's buffer to the thread
        return Task.CompletedTask; // Kestrel sends the headers and the body together when the request ends
    }

    /// <summary>A list of scored points as Qdrant's <c>[ScoredPoint]</c>: straight from the engine's points when they
    /// carry nothing but id, version and score (the usual search answer), else through the DTOs.</summary>
    public static Task OkScoredAsync(HttpContext context, IReadOnlyList<ScoredPoint> points, PayloadSelector payload) =>
        ScoredPointsJson.IsPlain(points, payload)
            ? OkAsync(context, points, ScoredPointsJson.WritePlain)
            : OkAsync(context, ResultMapper.Scored(points, payload), SearchJsonContext.Default.ListScoredPointDto);

    /// <summary>Qdrant's <c>QueryResponse</c> of scored points, by the same rule as <see cref="OkScoredAsync"/> (an
    /// answer with an explanation always goes through the DTOs).</summary>
    public static Task OkQueryAsync(HttpContext context, IReadOnlyList<ScoredPoint> points, PayloadSelector payload, QueryExplain? explain) =>
        explain is null && ScoredPointsJson.IsPlain(points, payload)
            ? OkAsync(context, points, ScoredPointsJson.WriteQueryResponse)
            : OkAsync(context, ResultMapper.Query(points, payload, explain), SearchJsonContext.Default.QueryResponseDto);

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
}
