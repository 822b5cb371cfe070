using System.Text.Json;
using System.Text.Json.Serialization;
using Grape.Core.Points;
using Grape.Server.Rest.Dto;

namespace Grape.Server.Rest.Json;

/// <summary>Writes <c>vector</c> as Qdrant's <c>VectorStructOutput</c>: <c>[f32]</c> (or <c>[[f32]]</c> for a multivector) for the
/// unnamed vector, else <c>{name: [f32] | [[f32]]}</c>.</summary>
internal sealed class VectorsOutputJsonConverter : JsonConverter<VectorsOutput>
{
    public override VectorsOutput Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("VectorsOutput is written only");

    public override void Write(Utf8JsonWriter writer, VectorsOutput value, JsonSerializerOptions options)
    {
        var vectors = value.Vectors;
        if (vectors.Count == 1 && vectors.TryGetValue(PointStruct.DefaultVector, out var single))
        {
            WriteVector(writer, single);
            return;
        }
        writer.WriteStartObject();
        foreach (var (name, v) in vectors)
        {
            writer.WritePropertyName(name);
            WriteVector(writer, v);
        }
        writer.WriteEndObject();
    }

    private static void WriteVector(Utf8JsonWriter writer, Vector v)
    {
        if (v.IsMulti) Mapping.MultiVectorJson.Write(writer, v);
        else WriteDense(writer, v.Dense);
    }

    private static void WriteDense(Utf8JsonWriter writer, float[] values)
    {
        writer.WriteStartArray();
        foreach (float f in values) writer.WriteNumberValue(f);
        writer.WriteEndArray();
    }
}
