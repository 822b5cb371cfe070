using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Points;
using Grape.Server.Errors;

namespace Grape.Server.Rest.Mapping;

/// <summary>
/// Typed reads from a request's JSON with Qdrant-style messages that name the field's path. Shape errors are 400
/// ("Format error in JSON body"), value-range errors 422 ("Validation error in JSON body"), as in Qdrant.
/// </summary>
internal static class JsonRead
{
    /// <summary>Hard cap on limits and offsets: Core takes ints, and a limit of billions must not become an allocation.</summary>
    public const int MaxLimit = 1_000_000;

    public static void ExpectObject(JsonElement e, string path, string what)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected {what}");
    }

    /// <summary>The member, or null when it is missing or JSON null (Qdrant's Option fields).</summary>
    public static JsonElement? Opt(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static JsonElement Req(JsonElement obj, string name, string path) =>
        Opt(obj, name) ?? throw RequestException.Format($"{Where(path)}missing field `{name}`");

    /// <summary>Rejects members outside <paramref name="allowed"/> (for the types Qdrant declares deny_unknown_fields).</summary>
    public static void NoUnknown(JsonElement obj, string path, params string[] allowed)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (Array.IndexOf(allowed, p.Name) < 0)
                throw RequestException.Format($"{Where(path)}unknown field `{p.Name}`, expected one of {string.Join(", ", allowed.Select(a => $"`{a}`"))}");
        }
    }

    public static string String(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a string");

    public static bool Bool(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a boolean"),
    };

    public static double Double(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out double d) && double.IsFinite(d) ? d
            : throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a finite number");

    public static float Float(JsonElement e, string path)
    {
        double d = Double(e, path);
        float f = (float)d;
        if (!float.IsFinite(f)) throw RequestException.Format($"{Where(path)}number {e.GetRawText()} is out of range for f32");
        return f;
    }

    public static long Long(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long n) ? n
            : throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected an integer");

    public static int Int(JsonElement e, string path, int min = 0, int max = int.MaxValue)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long n))
            throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected an integer");
        if (n < 0 && min >= 0) throw RequestException.Format($"{Where(path)}invalid value: integer `{n}`, expected an unsigned integer");
        if (n < min) throw RequestException.Validation($"[{path}: value {n} invalid, must be {min} or more]");
        if (n > max) throw RequestException.Validation($"[{path}: value {n} invalid, must be {max} or less]");
        return (int)n;
    }

    public static int? OptInt(JsonElement obj, string name, string path, int min = 0, int max = int.MaxValue) =>
        Opt(obj, name) is { } v ? Int(v, Join(path, name), min, max) : null;

    public static bool? OptBool(JsonElement obj, string name, string path) => Opt(obj, name) is { } v ? Bool(v, Join(path, name)) : null;

    public static double? OptDouble(JsonElement obj, string name, string path) => Opt(obj, name) is { } v ? Double(v, Join(path, name)) : null;

    public static string? OptString(JsonElement obj, string name, string path) => Opt(obj, name) is { } v ? String(v, Join(path, name)) : null;

    public static PointId PointId(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            if (e.TryGetUInt64(out ulong n)) return Core.Points.PointId.FromNumber(n);
            throw RequestException.Format($"{Where(path)}invalid point id {e.GetRawText()}: expected an unsigned integer or a UUID");
        }
        if (e.ValueKind == JsonValueKind.String && Guid.TryParse(e.GetString(), out var g)) return Core.Points.PointId.FromUuid(g);
        throw RequestException.Format($"{Where(path)}invalid point id {Truncate(e.GetRawText())}: expected an unsigned integer or a UUID");
    }

    public static List<PointId> PointIds(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a list of point ids");
        var ids = new List<PointId>(e.GetArrayLength());
        int i = 0;
        foreach (var item in e.EnumerateArray()) ids.Add(PointId(item, $"{path}[{i++}]"));
        return ids;
    }

    public static List<string> Strings(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a list of strings");
        var list = new List<string>(e.GetArrayLength());
        int i = 0;
        foreach (var item in e.EnumerateArray()) list.Add(String(item, $"{path}[{i++}]"));
        return list;
    }

    /// <summary>A dense vector: finite f32 values only (JSON has no NaN literal, but 1e39 overflows f32 to infinity).</summary>
    public static float[] Dense(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a vector (list of numbers)");
        var v = new float[e.GetArrayLength()];
        int i = 0;
        foreach (var item in e.EnumerateArray())
        {
            // An element's path is formatted only for an error: a batch holds tens of thousands of components, and
            // formatting each path up front was most of the server's CPU per upsert.
            if (item.ValueKind == JsonValueKind.Number && item.TryGetDouble(out double d) && float.IsFinite((float)d))
            {
                v[i++] = (float)d;
                continue;
            }
            if (item.ValueKind != JsonValueKind.Number) throw RequestException.Format($"{Where($"{path}[{i}]")}invalid type: {Kind(item)}, expected a number");
            v[i] = Float(item, $"{path}[{i}]"); // throws with the element's path
        }
        return v;
    }

    /// <summary>A payload object, copied out of the request buffer (null for JSON null).</summary>
    public static JsonObject? Payload(JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Object => JsonObject.Create(e.Clone()),
        _ => throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a payload object"),
    };

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Where(string path) => path.Length == 0 ? "" : $"{path}: ";

    public static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "map",
        JsonValueKind.Array => "sequence",
        JsonValueKind.String => $"string {Truncate(e.GetRawText())}",
        JsonValueKind.Number => $"number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean `{e.GetRawText()}`",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..61] + "...";
}
