using Grape.Core.Embedded;
using Grape.Core.Points;
using static Grape.Server.Rest.Mapping.JsonScan;

namespace Grape.Server.Rest.Mapping;

/// <summary>
/// The hot path of <c>POST /collections/{name}/points/search</c>: one forward pass over the body for the plain form
/// <c>{"vector": [f32], "limit": n, "with_payload": bool, "with_vector": bool}</c> (the last two optional), giving
/// exactly the request <see cref="SearchMapper.Search"/> would. Any other member (filter, params, offset, a named
/// vector, ...), a repeated key, a value out of range or malformed JSON makes it answer null, and the caller runs the
/// document mapper over the same bytes, which gives the request or the error message.
/// </summary>
internal static class SearchStreamReader
{
    [ThreadStatic] private static float[]? t_scratch;

    public static SearchRequest? TryRead(ReadOnlySpan<byte> s)
    {
        var scratch = t_scratch ??= new float[1024];
        try
        {
            return Read(s, ref scratch);
        }
        finally
        {
            if (scratch.Length <= 1 << 16) t_scratch = scratch;
        }
    }

    private static SearchRequest? Read(ReadOnlySpan<byte> s, ref float[] scratch)
    {
        int i = 0;
        float[]? vector = null;
        int limit = 0;
        bool? withPayload = null, withVector = null;
        if (!Expect(s, ref i, (byte)'{')) return null;
        if (TryConsume(s, ref i, (byte)'}')) return null;
        do
        {
            if (!Key(s, ref i, out var key) || !Expect(s, ref i, (byte)':')) return null;
            SkipWhitespace(s, ref i);
            if (key.SequenceEqual("vector"u8))
            {
                if (vector is not null || i >= s.Length || s[i] != (byte)'[' || (vector = ReadDense(s, ref i, ref scratch)) is null) return null;
            }
            else if (key.SequenceEqual("limit"u8))
            {
                if (limit != 0 || !TryReadLimit(s, ref i, out limit)) return null;
            }
            else if (key.SequenceEqual("with_payload"u8))
            {
                if (withPayload is not null || !TryReadBool(s, ref i, out bool b)) return null;
                withPayload = b;
            }
            else if (key.SequenceEqual("with_vector"u8))
            {
                if (withVector is not null || !TryReadBool(s, ref i, out bool b)) return null;
                withVector = b;
            }
            else return null; // everything else is the mapper's
        }
        while (TryConsume(s, ref i, (byte)','));
        if (!Expect(s, ref i, (byte)'}')) return null;
        SkipWhitespace(s, ref i);
        if (i != s.Length || vector is null || limit == 0) return null;
        return new SearchRequest(vector)
        {
            Limit = limit,
            WithPayload = withPayload == true ? PayloadSelector.All : PayloadSelector.None,
            WithVectors = withVector == true ? VectorSelector.All : VectorSelector.None,
        };
    }

    /// <summary>An integer in 1..<see cref="JsonRead.MaxLimit"/> written as plain digits (anything else: the mapper's
    /// answer, a 400 or the 422 naming the range).</summary>
    private static bool TryReadLimit(ReadOnlySpan<byte> s, ref int i, out int limit)
    {
        limit = 0;
        int p = i;
        long n = 0;
        for (uint d; (uint)p < (uint)s.Length && (d = (uint)(s[p] - '0')) <= 9; p++)
        {
            n = n * 10 + d;
            if (n > JsonRead.MaxLimit) return false;
        }
        if (p == i || s[i] == (byte)'0' || !AtValueEnd(s, p)) return false; // no digits, 0 or a leading zero, or not an integer
        i = p;
        limit = (int)n;
        return true;
    }

    private static bool TryReadBool(ReadOnlySpan<byte> s, ref int i, out bool value)
    {
        value = Literal(s, ref i, "true"u8);
        return value || Literal(s, ref i, "false"u8);
    }
}
