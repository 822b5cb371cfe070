using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Grape.Server.Errors;

/// <summary>Writes Qdrant's error envelope: <c>{"status":{"error":"..."},"time":seconds}</c>.</summary>
internal static class ErrorBodyWriter
{
    public static async Task WriteAsync(HttpContext context, int status, string message, double seconds)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartObject("status");
            w.WriteString("error", message);
            w.WriteEndObject();
            w.WriteNumber("time", seconds);
            w.WriteEndObject();
        }
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
