using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grape.Core.Indexing.Payload;

/// <summary>Reads Qdrant's <c>PayloadFieldSchema</c> JSON (REST bodies and the stored collection config).</summary>
internal static class PayloadSchemaJson
{
    private const string NoVariant = "Format error in JSON body: data did not match any variant of untagged enum PayloadFieldSchema";

    public static PayloadFieldSchema Parse(JsonNode? node)
    {
        if (node is JsonValue v && v.TryGetValue(out string? name))
        {
            if (!PayloadFieldSchema.TryParseType(name, out var t)) PayloadFieldSchema.Bad(NoVariant);
            return new PayloadFieldSchema(t);
        }
        if (node is not JsonObject o) { PayloadFieldSchema.Bad(NoVariant); return null!; }
        if (!o.TryGetPropertyValue("type", out var typeNode) || typeNode is not JsonValue tv || !tv.TryGetValue(out string? typeName)
            || !PayloadFieldSchema.TryParseType(typeName, out var type))
        {
            PayloadFieldSchema.Bad(NoVariant);
            return null!;
        }
        var p = new PayloadIndexParams
        {
            IsTenant = Bool(o, "is_tenant"),
            IsPrincipal = Bool(o, "is_principal"),
            OnDisk = Bool(o, "on_disk"),
            Memory = Str(o, "memory"),
            EnableHnsw = Bool(o, "enable_hnsw"),
            Prefix = Bool(o, "prefix"),
            Lookup = Bool(o, "lookup"),
            Range = Bool(o, "range"),
            Tokenizer = Str(o, "tokenizer") switch
            {
                null or "word" => TokenizerType.Word,
                "prefix" => TokenizerType.Prefix,
                "whitespace" => TokenizerType.Whitespace,
                "multilingual" => TokenizerType.Multilingual,
                var other => Fail<TokenizerType>($"Format error in JSON body: unknown variant `{other}`, expected one of `prefix`, `whitespace`, `word`, `multilingual`"),
            },
            MinTokenLen = Int(o, "min_token_len"),
            MaxTokenLen = Int(o, "max_token_len"),
            Lowercase = Bool(o, "lowercase"),
            AsciiFolding = Bool(o, "ascii_folding"),
            PhraseMatching = Bool(o, "phrase_matching"),
            Stopwords = Stopwords(o),
        };
        if (o.ContainsKey("stemmer") && o["stemmer"] is not null)
        {
            // Qdrant accepts {"type":"none"}; snowball stemming has no implementation here yet.
            if (o["stemmer"] is JsonObject st && Str(st, "type") == "none") { }
            else PayloadFieldSchema.Bad("Bad request: snowball stemming is not available in Grape yet");
        }
        if (type != PayloadSchemaType.Text && o.ContainsKey("tokenizer") && o["tokenizer"] is not null)
            PayloadFieldSchema.Bad(NoVariant);
        var schema = PayloadFieldSchema.WithParams(type, p);
        schema.Validate();
        return schema;
    }

    private static T Fail<T>(string message) { PayloadFieldSchema.Bad(message); return default!; }

    private static bool? Bool(JsonObject o, string name)
    {
        if (!o.TryGetPropertyValue(name, out var n) || n is null) return null;
        if (n.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return n.GetValue<bool>();
        return Fail<bool?>($"Format error in JSON body: {name}: invalid type, expected a boolean");
    }

    private static string? Str(JsonObject o, string name)
    {
        if (!o.TryGetPropertyValue(name, out var n) || n is null) return null;
        if (n.GetValueKind() == JsonValueKind.String) return n.GetValue<string>();
        return Fail<string?>($"Format error in JSON body: {name}: invalid type, expected a string");
    }

    private static int? Int(JsonObject o, string name)
    {
        if (!o.TryGetPropertyValue(name, out var n) || n is null) return null;
        if (n is JsonValue v && v.TryGetValue(out long l) && l >= 0 && l <= int.MaxValue) return (int)l;
        if (n is JsonValue d && d.TryGetValue(out double x) && x >= 0 && x <= int.MaxValue && x == Math.Floor(x)) return (int)x;
        return Fail<int?>($"Format error in JSON body: {name}: invalid value, expected a non-negative integer");
    }

    private static TextStopwords? Stopwords(JsonObject o)
    {
        if (!o.TryGetPropertyValue("stopwords", out var n) || n is null) return null;
        if (n.GetValueKind() == JsonValueKind.String) return new TextStopwords { Single = StopwordLists.Canonical(n.GetValue<string>()) };
        if (n is not JsonObject so) return Fail<TextStopwords?>("Format error in JSON body: stopwords: expected a language or {languages, custom}");
        return new TextStopwords
        {
            Languages = so["languages"] is JsonArray langs ? [.. langs.Select(l => StopwordLists.Canonical(l?.GetValue<string>() ?? ""))] : null,
            Custom = so["custom"] is JsonArray custom ? [.. custom.Select(c => c?.GetValue<string>() ?? "")] : null,
        };
    }
}
