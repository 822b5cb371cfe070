using System.Text.Json.Nodes;
using Grape.Core.Errors;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// What a field index is built as (Qdrant's <c>PayloadFieldSchema</c>): a bare type, or a type with
/// <see cref="Params"/>. Collection info shows <c>params</c> only for the second form, as Qdrant does.
/// </summary>
public sealed record PayloadFieldSchema(PayloadSchemaType Type)
{
    /// <summary>Null when created from a bare type (every option at its default).</summary>
    public PayloadIndexParams? Params { get; init; }

    public static implicit operator PayloadFieldSchema(PayloadSchemaType type) => new(type);

    /// <summary>A schema with parameters; <paramref name="params"/> must not hold options foreign to <paramref name="type"/>.</summary>
    public static PayloadFieldSchema WithParams(PayloadSchemaType type, PayloadIndexParams @params) => new(type) { Params = @params };

    /// <summary>Qdrant's JSON form: a string for a bare type, else the params object with <c>type</c>.</summary>
    public JsonNode ToJson() => Params is null ? JsonValue.Create(TypeName(Type))! : Params.ToJson(Type);

    /// <summary>Parses Qdrant's JSON form (a type string or a params object); <see cref="BadRequestException"/> on anything else.</summary>
    public static PayloadFieldSchema FromJson(JsonNode? node) => PayloadSchemaJson.Parse(node);

    /// <summary>Checks option combinations Qdrant rejects.</summary>
    public void Validate() => Params?.Validate(Type);

    public static string TypeName(PayloadSchemaType type) => type switch
    {
        PayloadSchemaType.Keyword => "keyword",
        PayloadSchemaType.Integer => "integer",
        PayloadSchemaType.Float => "float",
        PayloadSchemaType.Geo => "geo",
        PayloadSchemaType.Text => "text",
        PayloadSchemaType.Bool => "bool",
        PayloadSchemaType.Datetime => "datetime",
        _ => "uuid",
    };

    public static bool TryParseType(string? name, out PayloadSchemaType type)
    {
        switch (name)
        {
            case "keyword": type = PayloadSchemaType.Keyword; return true;
            case "integer": type = PayloadSchemaType.Integer; return true;
            case "float": type = PayloadSchemaType.Float; return true;
            case "geo": type = PayloadSchemaType.Geo; return true;
            case "text": type = PayloadSchemaType.Text; return true;
            case "bool": type = PayloadSchemaType.Bool; return true;
            case "datetime": type = PayloadSchemaType.Datetime; return true;
            case "uuid": type = PayloadSchemaType.Uuid; return true;
            default: type = default; return false;
        }
    }

    internal static void Bad(string message) => ThrowHelper.BadRequest(message);
}
