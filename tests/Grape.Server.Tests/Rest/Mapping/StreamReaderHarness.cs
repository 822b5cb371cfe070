using System.Text;
using System.Text.Json;
using Grape.Server.Errors;
using Grape.Server.Rest;
using Microsoft.AspNetCore.Http;

namespace Grape.Server.Tests.Rest.Mapping;

/// <summary>
/// What the differential tests of a streaming reader share: a body read as the endpoint reads it, the answer of the
/// document mapper alone (what the endpoint did before the reader), the answer of the endpoint's combination (the
/// reader, else the document mapper), and the check that two refusals are the same refusal.
/// </summary>
internal static class StreamReaderHarness
{
    public delegate object? StreamRead(ReadOnlyMemory<byte> utf8);

    public static object DocumentOnly(string json, Func<JsonElement, object> document)
    {
        using var body = ReadBody(json);
        try { return document(body.Root); }
        catch (Exception e) { return e; }
    }

    public static object StreamThenDocument(string json, StreamRead stream, Func<JsonElement, object> document, out bool streamed)
    {
        // Not disposed: a streamed answer may keep slices of the body (payload text), which the caller compares after
        // this returns; the buffer goes to the garbage collector instead of back to the pool.
        var body = ReadBody(json);
        var fast = stream(body.Memory);
        streamed = fast is not null;
        try { return fast ?? document(body.Root); }
        catch (Exception e) { return e; }
    }

    /// <summary>
    /// When the document mapper refused (<paramref name="expected"/> is an exception), asserts the same exception type,
    /// message and status, and returns true; otherwise asserts the endpoint accepted too and returns false, leaving
    /// the two values to the caller.
    /// </summary>
    public static bool AssertSameRefusal(object expected, object actual, string json)
    {
        if (expected is Exception e)
        {
            var a = Assert.IsAssignableFrom<Exception>(actual);
            Assert.Equal(e.GetType(), a.GetType());
            Assert.Equal(e.Message, a.Message);
            if (e is RequestException re) Assert.Equal(re.StatusCode, ((RequestException)a).StatusCode);
            return true;
        }
        Assert.False(actual is Exception, $"the document mapper accepted but the endpoint refused: {actual}\n{json}");
        return false;
    }

    private static JsonBody ReadBody(string json)
    {
        var context = new DefaultHttpContext();
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = bytes.Length;
        return JsonBody.ReadAsync(context, 32 << 20).AsTask().GetAwaiter().GetResult();
    }
}
