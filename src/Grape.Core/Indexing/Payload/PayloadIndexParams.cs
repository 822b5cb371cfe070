using System.Text.Json.Nodes;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// The options of a field index (Qdrant's <c>*IndexParams</c>, flattened): each applies to some types only
/// (<see cref="PayloadFieldSchema.Validate"/> rejects the others). Null means "not given" (Qdrant's default).
/// </summary>
public sealed record PayloadIndexParams
{
    /// <summary>keyword, uuid: the field separates tenants.</summary>
    public bool? IsTenant { get; init; }
    /// <summary>integer, float, datetime: the field organizes storage.</summary>
    public bool? IsPrincipal { get; init; }
    /// <summary>Deprecated placement flag (every type); accepted and shown, the index lives in memory either way.</summary>
    public bool? OnDisk { get; init; }
    /// <summary>Placement: <c>cold</c>, <c>cached</c> or <c>pinned</c> (every type); accepted and shown.</summary>
    public string? Memory { get; init; }
    /// <summary>Extra HNSW links per value (every type); shown, used by the graph builder.</summary>
    public bool? EnableHnsw { get; init; }
    /// <summary>keyword: also serve <c>match.prefix</c>.</summary>
    public bool? Prefix { get; init; }
    /// <summary>integer: serve exact matches (default true).</summary>
    public bool? Lookup { get; init; }
    /// <summary>integer: serve ranges (default true).</summary>
    public bool? Range { get; init; }
    /// <summary>text: the tokenizer (Qdrant always shows it, <c>word</c> by default).</summary>
    public TokenizerType Tokenizer { get; init; } = TokenizerType.Word;
    public int? MinTokenLen { get; init; }
    public int? MaxTokenLen { get; init; }
    /// <summary>text: lower-case tokens (default true).</summary>
    public bool? Lowercase { get; init; }
    /// <summary>text: fold accented letters to ASCII (default false).</summary>
    public bool? AsciiFolding { get; init; }
    /// <summary>text: keep token positions so <c>match.phrase</c> can be answered (default false).</summary>
    public bool? PhraseMatching { get; init; }
    /// <summary>text: stop words, a language name alone or languages plus custom words.</summary>
    public TextStopwords? Stopwords { get; init; }

    internal void Validate(PayloadSchemaType type)
    {
        void Only(bool given, string option, params PayloadSchemaType[] types)
        {
            if (given && Array.IndexOf(types, type) < 0)
                PayloadFieldSchema.Bad($"Format error in JSON body: `{option}` is not an option of a {PayloadFieldSchema.TypeName(type)} index");
        }
        Only(IsTenant is not null, "is_tenant", PayloadSchemaType.Keyword, PayloadSchemaType.Uuid);
        Only(IsPrincipal is not null, "is_principal", PayloadSchemaType.Integer, PayloadSchemaType.Float, PayloadSchemaType.Datetime);
        Only(Prefix is not null, "prefix", PayloadSchemaType.Keyword);
        Only(Lookup is not null, "lookup", PayloadSchemaType.Integer);
        Only(Range is not null, "range", PayloadSchemaType.Integer);
        bool text = MinTokenLen is not null || MaxTokenLen is not null || Lowercase is not null || AsciiFolding is not null
            || PhraseMatching is not null || Stopwords is not null || Tokenizer != TokenizerType.Word;
        Only(text, "tokenizer", PayloadSchemaType.Text);
        if (Memory is not null and not ("cold" or "cached" or "pinned"))
            PayloadFieldSchema.Bad($"Format error in JSON body: unknown variant `{Memory}`, expected one of `cold`, `cached`, `pinned`");
        if (Lookup == false && Range == false)
            PayloadFieldSchema.Bad("Validation error in JSON body: [lookup: the 'lookup' and 'range' capabilities can't be both disabled]");
        if (MinTokenLen < 0 || MaxTokenLen < 0) PayloadFieldSchema.Bad("Format error in JSON body: token lengths must not be negative");
        if (Stopwords is { } sw)
        {
            foreach (var l in sw.AllLanguages)
                if (!StopwordLists.IsSupported(l))
                    PayloadFieldSchema.Bad($"Bad request: stop words of language `{l}` are not available in Grape; give them as `custom` words");
        }
    }

    internal JsonObject ToJson(PayloadSchemaType type)
    {
        // Qdrant's serde field order per type; fields without skip_serializing_if show as null.
        var o = new JsonObject { ["type"] = PayloadFieldSchema.TypeName(type) };
        switch (type)
        {
            case PayloadSchemaType.Keyword:
                Opt(o, "is_tenant", IsTenant); Common(o); Opt(o, "prefix", Prefix);
                return o;
            case PayloadSchemaType.Integer:
                o["lookup"] = Lookup; o["range"] = Range; o["is_principal"] = IsPrincipal; Common(o);
                return o;
            case PayloadSchemaType.Float:
            case PayloadSchemaType.Datetime:
                o["is_principal"] = IsPrincipal; Common(o);
                return o;
            case PayloadSchemaType.Uuid:
                Opt(o, "is_tenant", IsTenant); Common(o);
                return o;
            case PayloadSchemaType.Text:
                o["tokenizer"] = Tokenizer switch
                {
                    TokenizerType.Prefix => "prefix", TokenizerType.Whitespace => "whitespace",
                    TokenizerType.Multilingual => "multilingual", _ => "word",
                };
                Opt(o, "min_token_len", MinTokenLen); Opt(o, "max_token_len", MaxTokenLen); Opt(o, "lowercase", Lowercase);
                Opt(o, "ascii_folding", AsciiFolding); Opt(o, "phrase_matching", PhraseMatching);
                if (Stopwords is { } sw) o["stopwords"] = sw.ToJson();
                if (OnDisk is not null) o["on_disk"] = OnDisk;
                if (Memory is not null) o["memory"] = Memory;
                Opt(o, "enable_hnsw", EnableHnsw);
                return o;
            default: // geo, bool
                Common(o);
                return o;
        }
    }

    private void Common(JsonObject o)
    {
        Opt(o, "on_disk", OnDisk);
        if (Memory is not null) o["memory"] = Memory;
        Opt(o, "enable_hnsw", EnableHnsw);
    }

    private static void Opt(JsonObject o, string name, bool? value) { if (value is not null) o[name] = value; }
    private static void Opt(JsonObject o, string name, int? value) { if (value is not null) o[name] = value; }
}

/// <summary>Qdrant's <c>stopwords</c>: either one language (<see cref="Single"/>) or a set of languages and custom words.</summary>
public sealed record TextStopwords
{
    /// <summary>Set when given as a bare language string.</summary>
    public string? Single { get; init; }
    public IReadOnlyList<string>? Languages { get; init; }
    public IReadOnlyList<string>? Custom { get; init; }

    /// <summary>Every language named, whichever form was used.</summary>
    public IEnumerable<string> AllLanguages => Single is not null ? [Single] : Languages ?? [];

    internal JsonNode ToJson()
    {
        if (Single is not null) return JsonValue.Create(Single)!;
        var o = new JsonObject();
        if (Languages is not null) o["languages"] = new JsonArray([.. Languages.Distinct().Order(StringComparer.Ordinal).Select(l => (JsonNode)l)]);
        if (Custom is not null) o["custom"] = new JsonArray([.. Custom.Distinct().Order(StringComparer.Ordinal).Select(c => (JsonNode)c)]);
        return o;
    }
}
