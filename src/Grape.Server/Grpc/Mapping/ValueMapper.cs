using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Collections;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>
/// Qdrant's json_with_int <c>Value</c> ⇄ <see cref="JsonNode"/>. Integers travel as <c>integer_value</c> and doubles as
/// <c>double_value</c>, so a payload read over gRPC keeps the number kinds REST shows.
/// </summary>
internal static class ValueMapper
{
    public static JsonObject ToJson(MapField<string, P.Value> map)
    {
        var o = new JsonObject();
        foreach (var (k, v) in map) o[k] = ToJson(v);
        return o;
    }

    public static JsonNode? ToJson(P.Value v) => v.KindCase switch
    {
        P.Value.KindOneofCase.None or P.Value.KindOneofCase.NullValue => null,
        P.Value.KindOneofCase.DoubleValue => Double(v.DoubleValue),
        P.Value.KindOneofCase.IntegerValue => JsonValue.Create(v.IntegerValue),
        P.Value.KindOneofCase.StringValue => JsonValue.Create(v.StringValue),
        P.Value.KindOneofCase.BoolValue => JsonValue.Create(v.BoolValue),
        P.Value.KindOneofCase.StructValue => ToJson(v.StructValue.Fields),
        P.Value.KindOneofCase.ListValue => List(v.ListValue),
        _ => null,
    };

    // A whole double (2.0) must keep its fraction in the JSON text, or it would read back as the integer 2.
    private static JsonNode Double(double d) =>
        Math.Abs(d) < 1e15 && d == Math.Floor(d)
            ? JsonNode.Parse(((long)d).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".0")!
            : JsonValue.Create(d);

    private static JsonArray List(P.ListValue l)
    {
        var a = new JsonArray();
        foreach (var item in l.Values) a.Add(ToJson(item));
        return a;
    }

    public static void Fill(MapField<string, P.Value> target, JsonObject? payload)
    {
        if (payload is null) return;
        foreach (var (k, v) in payload) target[k] = ToValue(v);
    }

    public static P.Value ToValue(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new P.Value { NullValue = P.NullValue.NullValue };
            case JsonObject o:
            {
                var s = new P.Struct();
                Fill(s.Fields, o);
                return new P.Value { StructValue = s };
            }
            case JsonArray a:
            {
                var l = new P.ListValue();
                foreach (var item in a) l.Values.Add(ToValue(item));
                return new P.Value { ListValue = l };
            }
            default:
                return Scalar(node.AsValue());
        }
    }

    private static P.Value Scalar(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String: return new P.Value { StringValue = value.GetValue<string>() };
            case JsonValueKind.True: return new P.Value { BoolValue = true };
            case JsonValueKind.False: return new P.Value { BoolValue = false };
            case JsonValueKind.Number:
                // The JSON text decides: 3 is an integer, 3.0 and 3e0 are doubles (as Qdrant's serde_json does).
                string text = value.ToJsonString();
                if (text.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long n))
                    return new P.Value { IntegerValue = n };
                return new P.Value { DoubleValue = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture) };
            default: return new P.Value { NullValue = P.NullValue.NullValue };
        }
    }
}
