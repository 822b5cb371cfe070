using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Filtering.Conditions;

namespace Grape.Core.Query;

/// <summary>
/// The values at a key path of a parsed payload, as Qdrant's formula and grouping read them: <c>.key</c> steps into
/// objects, <c>[i]</c> picks an element, <c>[]</c> fans out; an array found at the end of the path is flattened into
/// its elements (one level), the way payload values are indexed.
/// </summary>
internal static class PayloadValues
{
    public static List<JsonNode?> Get(JsonObject payload, JsonPath path)
    {
        var found = new List<JsonNode?>();
        if (payload.TryGetPropertyValue(path.Segments[0].Key!, out var first)) Walk(first, path.Segments, 1, found);
        if (path.HasWildcardSuffix) return found;
        List<JsonNode?>? flat = null;
        for (int i = 0; i < found.Count; i++)
        {
            if (found[i] is JsonArray array)
            {
                flat ??= found.GetRange(0, i);
                flat.AddRange(array);
            }
            else flat?.Add(found[i]);
        }
        return flat ?? found;
    }

    private static void Walk(JsonNode? node, JsonPathSegment[] path, int step, List<JsonNode?> found)
    {
        for (; step < path.Length; step++)
        {
            var seg = path[step];
            switch (seg.Kind)
            {
                case JsonPathSegmentKind.Key:
                    if (node is not JsonObject o || !o.TryGetPropertyValue(seg.Key!, out node)) return;
                    break;
                case JsonPathSegmentKind.Index:
                    if (node is not JsonArray a || seg.Index >= a.Count) return;
                    node = a[seg.Index];
                    break;
                default:
                    if (node is not JsonArray all) return;
                    foreach (var element in all) Walk(element, path, step + 1, found);
                    return;
            }
        }
        found.Add(node);
    }

    /// <summary>What <see cref="TryReadNumber"/> found at a path.</summary>
    public enum Lookup : byte { Number, Missing, Other }

    /// <summary>
    /// Reads the value at a path of plain keys straight from the stored UTF-8 payload, without building a DOM (the
    /// formula's hot path: one lookup per prefetched point). <see cref="Lookup.Number"/>: a single number, in
    /// <paramref name="value"/>; <see cref="Lookup.Missing"/>: nothing at the path (a key absent or a step through a
    /// non-object); <see cref="Lookup.Other"/>: anything else (an array, a string, a path with indexes), which the
    /// caller resolves through <see cref="Get"/> with the full rules.
    /// </summary>
    public static Lookup TryReadNumber(ReadOnlySpan<byte> payload, JsonPath path, out double value)
    {
        value = 0;
        var steps = path.Segments;
        foreach (var step in steps)
            if (step.Kind != JsonPathSegmentKind.Key || step.KeyUtf8 is null) return Lookup.Other;
        if (payload.IsEmpty) return Lookup.Missing;
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 512 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Lookup.Other;
        int step0 = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject) return Lookup.Missing; // the key is not in this object
            bool match = reader.ValueTextEquals(steps[step0].KeyUtf8);
            reader.Read();
            if (!match)
            {
                reader.Skip();
                continue;
            }
            if (step0 == steps.Length - 1)
            {
                if (reader.TokenType != JsonTokenType.Number) return Lookup.Other;
                return reader.TryGetDouble(out value) ? Lookup.Number : Lookup.Other;
            }
            if (reader.TokenType != JsonTokenType.StartObject) return reader.TokenType == JsonTokenType.StartArray ? Lookup.Other : Lookup.Missing;
            step0++;
        }
        return Lookup.Other;
    }

    /// <summary>The number a JSON value holds (Qdrant's <c>as_f64</c>), or null.</summary>
    public static double? AsDouble(JsonNode? node)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number) return null;
        // A value built in code may hold an int or a decimal, which TryGetValue<double> does not convert.
        if (v.TryGetValue(out double d)) return d;
        return double.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out d) ? d : null;
    }

    /// <summary>The value as an order_by value: integers stay integers, other numbers are floats.</summary>
    public static Points.OrderValue? AsOrderValue(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                var text = v.ToJsonString();
                if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long l)) return Points.OrderValue.FromInteger(l);
                return AsDouble(v) is { } d ? Points.OrderValue.FromFloat(d) : null;
            case JsonValueKind.String:
                // A datetime orders by its Unix time in microseconds (Qdrant's datetime index value).
                return TryUnixMicros(v.GetValue<string>(), out long micros) ? Points.OrderValue.FromInteger(micros) : null;
            default:
                return null;
        }
    }

    /// <summary>Parses a payload datetime as Qdrant does; Unix microseconds.</summary>
    public static bool TryUnixMicros(string text, out long micros)
    {
        micros = 0;
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        if (!PayloadDatetime.TryParseUtcTicks(utf8, out long ticks)) return false;
        micros = (ticks - DateTime.UnixEpoch.Ticks) / 10;
        return true;
    }
}
