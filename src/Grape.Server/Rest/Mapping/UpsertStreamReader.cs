using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Grape.Core.Embedded;
using Grape.Core.Points;
using static Grape.Server.Rest.Mapping.JsonScan;

namespace Grape.Server.Rest.Mapping;

/// <summary>
/// The hot path of <c>PUT /collections/{name}/points</c>: one forward pass over the body's bytes that writes vector
/// components straight into float arrays, with no document built. Structure, keys, ids and vectors are scanned here
/// (strict JSON grammar: the whitespace, number and literal forms RFC 8259 allows); a payload, and the value of a
/// member the mapper ignores, go through <see cref="Utf8JsonReader.Skip"/> with the depth budget left at their place,
/// so they are validated exactly as in the document. A payload is handed to the engine as its text, a slice of the
/// body (<see cref="PointStruct.PayloadUtf8"/>), which stores compact text as it is instead of building an object:
/// the body must stay alive until the write has been prepared.
/// <para>
/// It accepts only the plain form <c>{"points": [{"id", "vector": [f32] | {name: [f32]}, "payload"}, ...]}</c>
/// (ASCII keys without escapes) and produces exactly the points <see cref="PointsMapper.Upsert"/> would. Anything
/// else (the batch form, multivectors, sparse vectors, shard keys, a repeated key, a JSON null where the mapper
/// wants a value, an empty vector, a value the mapper refuses, malformed JSON) makes it answer null, and the caller
/// runs the general mapper over the same bytes, which gives the answer or the error message. So every error answer
/// is the general mapper's by construction; this path only ever accepts.
/// </para>
/// </summary>
internal static class UpsertStreamReader
{
    /// <summary>Open containers at a point's members: the root object, the points list and the point object.</summary>
    private const int PointMemberDepth = 3;

    private static readonly JsonReaderOptions MemberOptions = new() { MaxDepth = JsonBody.MaxDepth - PointMemberDepth };

    [ThreadStatic] private static float[]? t_scratch;

    /// <summary>The upsert of a plain body, or null when the general mapper must decide (see the type's summary).</summary>
    public static UpdateOperation.Upsert? TryRead(ReadOnlyMemory<byte> utf8)
    {
        var scratch = t_scratch ??= new float[1024];
        try
        {
            var points = ReadPoints(utf8, ref scratch);
            return points is null ? null : new UpdateOperation.Upsert(points);
        }
        catch (JsonException) { return null; } // malformed payload: the general mapper reports it with its position
        catch (InvalidOperationException) { return null; }
        finally
        {
            if (scratch.Length <= 1 << 16) t_scratch = scratch; // don't pin a huge buffer to the thread
        }
    }

    private static List<PointStruct>? ReadPoints(ReadOnlyMemory<byte> body, ref float[] scratch)
    {
        var s = body.Span;
        int i = 0;
        // Only {"points": [...]}: any other member (batch, shard_key, update_filter, update_mode, ...) goes to the mapper.
        if (!Expect(s, ref i, (byte)'{') || !Key(s, ref i, out var key) || !key.SequenceEqual("points"u8) || !Expect(s, ref i, (byte)':')
            || !Expect(s, ref i, (byte)'['))
            return null;
        var points = new List<PointStruct>(Math.Max(16, s.Length / 1024));
        if (!TryConsume(s, ref i, (byte)']'))
        {
            do
            {
                if (ReadPoint(body, ref i, ref scratch) is not { } point) return null;
                points.Add(point);
            }
            while (TryConsume(s, ref i, (byte)','));
            if (!Expect(s, ref i, (byte)']')) return null;
        }
        if (!Expect(s, ref i, (byte)'}')) return null;
        SkipWhitespace(s, ref i);
        return i == s.Length ? points : null;
    }

    private static PointStruct? ReadPoint(ReadOnlyMemory<byte> body, ref int i, ref float[] scratch)
    {
        var s = body.Span;
        if (!Expect(s, ref i, (byte)'{')) return null;
        PointId? id = null;
        Vector? unnamed = null;
        Dictionary<string, Vector>? named = null;
        ReadOnlyMemory<byte> payload = default;
        bool hasPayload = false;
        if (!TryConsume(s, ref i, (byte)'}'))
        {
            do
            {
                if (!Key(s, ref i, out var key) || !Expect(s, ref i, (byte)':')) return null;
                SkipWhitespace(s, ref i);
                if (key.SequenceEqual("id"u8))
                {
                    if (id is not null || !TryReadId(s, ref i, out var value)) return null;
                    id = value;
                }
                else if (key.SequenceEqual("vector"u8))
                {
                    if (unnamed is not null || named is not null) return null;
                    if (i < s.Length && s[i] == (byte)'[')
                    {
                        // The array is this parse's own: handed over, so a cosine write normalizes it in place.
                        if (ReadDense(s, ref i, ref scratch) is not { } dense) return null;
                        unnamed = Vector.FromDenseHandedOver(dense);
                    }
                    else if ((named = ReadNamedVectors(s, ref i, ref scratch)) is null) return null;
                }
                else if (key.SequenceEqual("payload"u8))
                {
                    if (hasPayload) return null;
                    hasPayload = true;
                    if (i < s.Length && s[i] == (byte)'{')
                    {
                        var reader = new Utf8JsonReader(s[i..], MemberOptions);
                        reader.Read();
                        reader.Skip();
                        payload = body.Slice(i, (int)reader.BytesConsumed);
                        i += payload.Length;
                    }
                    else if (!Literal(s, ref i, "null"u8)) return null;
                }
                else if (key.SequenceEqual("vectors"u8)) return null; // the alias, and its precedence, are the mapper's
                else
                {
                    // Ignored by the mapper too; still validated as JSON, with the depth budget left here.
                    var reader = new Utf8JsonReader(s[i..], MemberOptions);
                    reader.Read();
                    reader.Skip();
                    i += (int)reader.BytesConsumed;
                }
            }
            while (TryConsume(s, ref i, (byte)','));
            if (!Expect(s, ref i, (byte)'}')) return null;
        }
        if (id is not { } pointId) return null;
        if (unnamed is not null) return new PointStruct(pointId, unnamed) { PayloadUtf8 = payload };
        return named is null ? null : new PointStruct(pointId, named) { PayloadUtf8 = payload };
    }

    /// <summary>An unsigned integer (JSON grammar, fits u64) or a UUID string, as <see cref="JsonRead.PointId"/> reads it.</summary>
    private static bool TryReadId(ReadOnlySpan<byte> s, ref int i, out PointId id)
    {
        id = default;
        if (i >= s.Length) return false;
        if (s[i] == (byte)'"')
        {
            if (!Key(s, ref i, out var text) || !Guid.TryParse(Encoding.ASCII.GetString(text), out var g)) return false;
            id = PointId.FromUuid(g);
            return true;
        }
        int start = i;
        ulong n = 0;
        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9) break;
            if (n > (ulong.MaxValue - d) / 10) return false;
            n = n * 10 + d;
        }
        int length = i - start;
        // No digits, a leading zero, or a fraction/exponent/sign: the mapper decides.
        if (length == 0 || (length > 1 && s[start] == (byte)'0') || !AtValueEnd(s, i)) return false;
        id = PointId.FromNumber(n);
        return true;
    }

    /// <summary><c>{name: [f32], ...}</c>; null for anything else. The arrays are this parse's own, handed over to the
    /// engine (<see cref="Vector.FromDenseHandedOver"/>).</summary>
    private static Dictionary<string, Vector>? ReadNamedVectors(ReadOnlySpan<byte> s, ref int i, ref float[] scratch)
    {
        var result = new Dictionary<string, Vector>(1, StringComparer.Ordinal);
        if (!Expect(s, ref i, (byte)'{')) return null;
        if (TryConsume(s, ref i, (byte)'}')) return result;
        do
        {
            if (!Key(s, ref i, out var key) || !Expect(s, ref i, (byte)':')) return null;
            string name = Encoding.ASCII.GetString(key);
            // `model` is server-side inference; a repeated name is resolved by the mapper.
            if (name == "model" || result.ContainsKey(name)) return null;
            SkipWhitespace(s, ref i);
            if (i >= s.Length || s[i] != (byte)'[' || ReadDense(s, ref i, ref scratch) is not { } dense) return null;
            result[name] = Vector.FromDenseHandedOver(dense);
        }
        while (TryConsume(s, ref i, (byte)','));
        return Expect(s, ref i, (byte)'}') ? result : null;
    }
}
