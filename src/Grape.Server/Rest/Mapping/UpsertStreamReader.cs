using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Embedded;
using Grape.Core.Points;

namespace Grape.Server.Rest.Mapping;

/// <summary>
/// The hot path of <c>PUT /collections/{name}/points</c>: a single forward pass of <see cref="Utf8JsonReader"/> over
/// the body's bytes, writing vector components straight into float arrays, with no document built. It accepts only
/// the plain form <c>{"points": [{"id", "vector": [f32] | {name: [f32]}, "payload"}, ...]}</c> and produces exactly
/// the points <see cref="PointsMapper.Upsert"/> would. Anything else (the batch form, multivectors, sparse vectors,
/// shard keys, a duplicate key, a JSON null, an empty vector, a value the general mapper refuses, malformed JSON)
/// makes it answer null, and the caller runs the general mapper over the same bytes, which gives the answer and the
/// error message. So the error paths are the general mapper's by construction; the fast path only ever accepts.
/// </summary>
internal static class UpsertStreamReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = JsonBody.MaxDepth };

    /// <summary>Powers of ten that are exact doubles (10^22 is the largest).</summary>
    private static readonly double[] Pow10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>The upsert of a plain body, or null when the general mapper must decide (see the type's summary).</summary>
    public static UpdateOperation.Upsert? TryRead(ReadOnlySpan<byte> utf8)
    {
        var scratch = t_scratch ??= new float[1024];
        try
        {
            var points = ReadPoints(utf8, ref scratch);
            return points is null ? null : new UpdateOperation.Upsert(points);
        }
        catch (JsonException) { return null; } // malformed JSON: the general mapper reports it with its position
        catch (InvalidOperationException) { return null; } // e.g. a string that is not valid UTF-8
        finally
        {
            if (scratch.Length <= 1 << 16) t_scratch = scratch; // don't pin a huge buffer to the thread
        }
    }

    private static List<PointStruct>? ReadPoints(ReadOnlySpan<byte> utf8, ref float[] scratch)
    {
        var r = new Utf8JsonReader(utf8, Options);
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
        List<PointStruct>? points = null;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            // Only `points`, once: other members (batch, shard_key, update_filter, update_mode, ...) go to the general mapper.
            if (points is not null || !r.ValueTextEquals("points"u8)) return null;
            if (Next(ref r) != JsonTokenType.StartArray) return null;
            points = new List<PointStruct>(Math.Max(16, utf8.Length / 1024));
            while (Next(ref r) != JsonTokenType.EndArray)
            {
                if (ReadPoint(ref r, ref scratch) is not { } point) return null;
                points.Add(point);
            }
        }
        // The root object closed; anything but whitespace after it throws (malformed JSON).
        if (points is null || r.Read()) return null;
        return points;
    }

    private static JsonTokenType Next(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw new JsonException("unexpected end of data"); // unreachable for a final block: Read throws first
        return r.TokenType;
    }

    private static PointStruct? ReadPoint(ref Utf8JsonReader r, ref float[] scratch)
    {
        if (r.TokenType != JsonTokenType.StartObject) return null;
        PointId? id = null;
        Dictionary<string, Vector>? vectors = null;
        JsonObject? payload = null;
        bool hasPayload = false;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("id"u8))
            {
                if (id is not null) return null;
                r.Read();
                if (!TryReadId(ref r, out var value)) return null;
                id = value;
            }
            else if (r.ValueTextEquals("vector"u8))
            {
                if (vectors is not null) return null;
                r.Read();
                vectors = ReadVectorStruct(ref r, ref scratch);
                if (vectors is null) return null;
            }
            else if (r.ValueTextEquals("payload"u8))
            {
                if (hasPayload) return null;
                hasPayload = true;
                r.Read();
                if (r.TokenType == JsonTokenType.StartObject) payload = JsonObject.Create(JsonElement.ParseValue(ref r));
                else if (r.TokenType != JsonTokenType.Null) return null;
            }
            else if (r.ValueTextEquals("vectors"u8)) return null; // the alias, and its precedence, are the general mapper's
            else r.Skip(); // other members are ignored, as by the general mapper
        }
        if (id is not { } pointId || vectors is null) return null;
        return new PointStruct(pointId, vectors, payload);
    }

    private static bool TryReadId(ref Utf8JsonReader r, out PointId id)
    {
        id = default;
        if (r.TokenType == JsonTokenType.Number)
        {
            if (!r.TryGetUInt64(out ulong n)) return false;
            id = PointId.FromNumber(n);
            return true;
        }
        if (r.TokenType == JsonTokenType.String && Guid.TryParse(r.GetString(), out var g))
        {
            id = PointId.FromUuid(g);
            return true;
        }
        return false;
    }

    /// <summary><c>[f32]</c> (the unnamed vector) or <c>{name: [f32], ...}</c>; null for anything else.</summary>
    private static Dictionary<string, Vector>? ReadVectorStruct(ref Utf8JsonReader r, ref float[] scratch)
    {
        var result = new Dictionary<string, Vector>(1, StringComparer.Ordinal);
        if (r.TokenType == JsonTokenType.StartArray)
        {
            if (ReadDense(ref r, ref scratch) is not { } dense) return null;
            result[PointStruct.DefaultVector] = Vector.FromDense(dense);
            return result;
        }
        if (r.TokenType != JsonTokenType.StartObject) return null;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            string name = r.GetString()!;
            // `model` is server-side inference; a repeated name is resolved by the general mapper.
            if (name == "model" || result.ContainsKey(name)) return null;
            r.Read();
            if (r.TokenType != JsonTokenType.StartArray || ReadDense(ref r, ref scratch) is not { } dense) return null;
            result[name] = Vector.FromDense(dense);
        }
        return result;
    }

    /// <summary>A non-empty list of numbers that are finite as f32; null for anything else (a multivector's first
    /// element is a list, so multivectors go to the general mapper too).</summary>
    private static float[]? ReadDense(ref Utf8JsonReader r, ref float[] scratch)
    {
        int n = 0;
        while (Next(ref r) == JsonTokenType.Number)
        {
            if (!TryParseFloat(ref r, out float f)) return null;
            if (n == scratch.Length) Array.Resize(ref scratch, scratch.Length * 2);
            scratch[n++] = f;
        }
        if (r.TokenType != JsonTokenType.EndArray || n == 0) return null;
        return scratch.AsSpan(0, n).ToArray();
    }

    /// <summary>The number as the general mapper reads it: parsed as a double (correctly rounded), then narrowed to
    /// f32, which must be finite.</summary>
    private static bool TryParseFloat(ref Utf8JsonReader r, out float value)
    {
        if (!TryParseShortDouble(r.ValueSpan, out double d) && !r.TryGetDouble(out d))
        {
            value = 0;
            return false;
        }
        value = (float)d;
        return float.IsFinite(value);
    }

    /// <summary>
    /// Clinger's fast path: a JSON number with at most 19 significant digits whose integer mantissa w ≤ 2^53 and whose
    /// decimal exponent e is within ±22 is exactly w·10^e or w/10^-e, both operands exact doubles, so one IEEE
    /// multiply or divide gives the correctly rounded double: the same value as a full parser. Shortest round-trip f32
    /// text (what clients write) always fits. False (not an error) for anything else, and for zero (its sign is
    /// left to the full parser).
    /// </summary>
    internal static bool TryParseShortDouble(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && s[0] == (byte)'-') { negative = true; i = 1; }
        ulong w = 0;
        int digits = 0, exponent = 0;
        bool fraction = false, any = false;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d <= 9)
            {
                any = true;
                if (fraction) exponent--;
                if (w == 0 && d == 0) continue; // a leading zero is not significant
                if (++digits > 19) return false;
                w = w * 10 + d;
            }
            else if (s[i] == (byte)'.' && !fraction) fraction = true;
            else break;
        }
        if (!any) return false;
        if (i < s.Length)
        {
            if ((s[i] | 0x20) != (byte)'e' || ++i == s.Length) return false;
            bool negativeExponent = false;
            if (s[i] is (byte)'-' or (byte)'+') { negativeExponent = s[i] == (byte)'-'; i++; }
            int e = 0;
            int start = i;
            for (; i < s.Length; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9 || e > 1000) return false;
                e = e * 10 + (int)d;
            }
            if (i == start) return false;
            exponent += negativeExponent ? -e : e;
        }
        if (w == 0 || w > 1UL << 53 || exponent < -22 || exponent > 22) return false;
        double x = w;
        x = exponent >= 0 ? x * Pow10[exponent] : x / Pow10[-exponent];
        value = negative ? -x : x;
        return true;
    }
}
