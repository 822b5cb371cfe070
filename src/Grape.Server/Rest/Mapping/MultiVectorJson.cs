using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Points;
using Grape.Server.Errors;
using static Grape.Server.Rest.Mapping.JsonRead;

namespace Grape.Server.Rest.Mapping;

/// <summary>Qdrant's multivector JSON: <c>multivector_config</c> in VectorParams and <c>[[f32]]</c> vectors.</summary>
internal static class MultiVectorJson
{
    /// <summary>Whether a vector value is a multivector: a list whose first item is a list.</summary>
    public static bool IsMulti(JsonElement e) => e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0 && e[0].ValueKind == JsonValueKind.Array;

    /// <summary><c>[[f32]]</c>: one or more sub-vectors of one length (Qdrant's <c>validate_multi_vector</c>, 422).</summary>
    public static Vector Read(JsonElement e, string path)
    {
        int n = e.GetArrayLength();
        if (n == 0) throw RequestException.Validation($"[{path}: multi vector must not be empty]");
        var rows = new float[n][];
        int i = 0;
        foreach (var row in e.EnumerateArray())
        {
            rows[i] = Dense(row, $"{path}[{i}]");
            if (rows[i].Length == 0) throw RequestException.Validation($"[{path}: all vectors must be non-empty]");
            if (rows[i].Length != rows[0].Length)
                throw RequestException.Validation($"[{path}: all vectors must have the same dimension, found vector with dimension {rows[i].Length}]");
            i++;
        }
        return Vector.FromMulti(rows);
    }

    /// <summary>The optional <c>multivector_config</c> of a VectorParams: <c>{comparator: "max_sim"}</c>.</summary>
    public static MultiVectorConfig? Config(JsonElement vectorParams, string path)
    {
        if (Opt(vectorParams, "multivector_config") is not { } e) return null;
        string p = Join(path, "multivector_config");
        ExpectObject(e, p, "MultiVectorConfig {comparator}");
        string c = String(Req(e, "comparator", p), Join(p, "comparator"));
        return c switch
        {
            "max_sim" => new MultiVectorConfig(MultiVectorComparator.MaxSim),
            _ => throw RequestException.Format($"{Join(p, "comparator")}: unknown variant `{c}`, expected `max_sim`"),
        };
    }

    public static JsonObject ToJson(MultiVectorConfig config) => new() { ["comparator"] = ComparatorName(config.Comparator) };

    private static string ComparatorName(MultiVectorComparator c) => c switch
    {
        MultiVectorComparator.MaxSim => "max_sim",
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, null),
    };

    /// <summary>Writes a multivector as <c>[[f32], ...]</c>.</summary>
    public static void Write(Utf8JsonWriter writer, Vector v)
    {
        int dim = v.Dense.Length / v.VectorCount;
        writer.WriteStartArray();
        for (int r = 0; r < v.VectorCount; r++)
        {
            writer.WriteStartArray();
            foreach (float f in v.Dense.AsSpan(r * dim, dim)) writer.WriteNumberValue(f);
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }
}
