using Grape.Core.Collections;
using Grape.Core.Errors;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Server.Errors;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>Payload index schemas and facet requests/answers between Qdrant's protos and Core.</summary>
internal static class GrpcIndexMapper
{
    /// <summary>The schema of <c>CreateFieldIndexCollection</c>: params decide the type when given (they must agree with <c>field_type</c>).</summary>
    public static PayloadFieldSchema? Schema(P.CreateFieldIndexCollection r)
    {
        PayloadSchemaType? type = r.HasFieldType ? r.FieldType switch
        {
            P.FieldType.Keyword => PayloadSchemaType.Keyword,
            P.FieldType.Integer => PayloadSchemaType.Integer,
            P.FieldType.Float => PayloadSchemaType.Float,
            P.FieldType.Geo => PayloadSchemaType.Geo,
            P.FieldType.Text => PayloadSchemaType.Text,
            P.FieldType.Bool => PayloadSchemaType.Bool,
            P.FieldType.Datetime => PayloadSchemaType.Datetime,
            P.FieldType.Uuid => PayloadSchemaType.Uuid,
            _ => throw new BadRequestException($"Unknown field type {(int)r.FieldType}"),
        } : null;
        if (r.FieldIndexParams is not { } p || p.IndexParamsCase == P.PayloadIndexParams.IndexParamsOneofCase.None)
            return type is { } t ? new PayloadFieldSchema(t) : null;
        var (paramsType, options) = Params(p);
        if (type is { } given && given != paramsType)
            throw new BadRequestException($"field_type {PayloadFieldSchema.TypeName(given)} does not match field_index_params of type {PayloadFieldSchema.TypeName(paramsType)}");
        var schema = PayloadFieldSchema.WithParams(paramsType, options);
        schema.Validate();
        return schema;
    }

#pragma warning disable CS0612 // on_disk is deprecated in Qdrant's protos but still accepted
    private static (PayloadSchemaType, PayloadIndexParams) Params(P.PayloadIndexParams p)
    {
        switch (p.IndexParamsCase)
        {
            case P.PayloadIndexParams.IndexParamsOneofCase.KeywordIndexParams:
            {
                var k = p.KeywordIndexParams;
                return (PayloadSchemaType.Keyword, new PayloadIndexParams
                {
                    IsTenant = k.HasIsTenant ? k.IsTenant : null, OnDisk = k.HasOnDisk ? k.OnDisk : null,
                    EnableHnsw = k.HasEnableHnsw ? k.EnableHnsw : null, Prefix = k.Prefix is null ? null : true, Memory = Memory(k.HasMemory, k.Memory),
                });
            }
            case P.PayloadIndexParams.IndexParamsOneofCase.IntegerIndexParams:
            {
                var i = p.IntegerIndexParams;
                return (PayloadSchemaType.Integer, new PayloadIndexParams
                {
                    Lookup = i.HasLookup ? i.Lookup : null, Range = i.HasRange ? i.Range : null, IsPrincipal = i.HasIsPrincipal ? i.IsPrincipal : null,
                    OnDisk = i.HasOnDisk ? i.OnDisk : null, EnableHnsw = i.HasEnableHnsw ? i.EnableHnsw : null, Memory = Memory(i.HasMemory, i.Memory),
                });
            }
            case P.PayloadIndexParams.IndexParamsOneofCase.FloatIndexParams:
            {
                var f = p.FloatIndexParams;
                return (PayloadSchemaType.Float, new PayloadIndexParams
                {
                    IsPrincipal = f.HasIsPrincipal ? f.IsPrincipal : null, OnDisk = f.HasOnDisk ? f.OnDisk : null,
                    EnableHnsw = f.HasEnableHnsw ? f.EnableHnsw : null, Memory = Memory(f.HasMemory, f.Memory),
                });
            }
            case P.PayloadIndexParams.IndexParamsOneofCase.DatetimeIndexParams:
            {
                var d = p.DatetimeIndexParams;
                return (PayloadSchemaType.Datetime, new PayloadIndexParams
                {
                    IsPrincipal = d.HasIsPrincipal ? d.IsPrincipal : null, OnDisk = d.HasOnDisk ? d.OnDisk : null,
                    EnableHnsw = d.HasEnableHnsw ? d.EnableHnsw : null, Memory = Memory(d.HasMemory, d.Memory),
                });
            }
            case P.PayloadIndexParams.IndexParamsOneofCase.UuidIndexParams:
            {
                var u = p.UuidIndexParams;
                return (PayloadSchemaType.Uuid, new PayloadIndexParams
                {
                    IsTenant = u.HasIsTenant ? u.IsTenant : null, OnDisk = u.HasOnDisk ? u.OnDisk : null,
                    EnableHnsw = u.HasEnableHnsw ? u.EnableHnsw : null, Memory = Memory(u.HasMemory, u.Memory),
                });
            }
            case P.PayloadIndexParams.IndexParamsOneofCase.GeoIndexParams:
            {
                var g = p.GeoIndexParams;
                return (PayloadSchemaType.Geo, new PayloadIndexParams
                {
                    OnDisk = g.HasOnDisk ? g.OnDisk : null, EnableHnsw = g.HasEnableHnsw ? g.EnableHnsw : null, Memory = Memory(g.HasMemory, g.Memory),
                });
            }
            case P.PayloadIndexParams.IndexParamsOneofCase.BoolIndexParams:
            {
                var b = p.BoolIndexParams;
                return (PayloadSchemaType.Bool, new PayloadIndexParams
                {
                    OnDisk = b.HasOnDisk ? b.OnDisk : null, EnableHnsw = b.HasEnableHnsw ? b.EnableHnsw : null, Memory = Memory(b.HasMemory, b.Memory),
                });
            }
            default:
            {
                var t = p.TextIndexParams;
                if (t.Stemmer is { StemmingParamsCase: P.StemmingAlgorithm.StemmingParamsOneofCase.Snowball })
                    throw RequestException.NotSupported("snowball stemming");
                return (PayloadSchemaType.Text, new PayloadIndexParams
                {
                    Tokenizer = t.Tokenizer switch
                    {
                        P.TokenizerType.Prefix => TokenizerType.Prefix,
                        P.TokenizerType.Whitespace => TokenizerType.Whitespace,
                        P.TokenizerType.Multilingual => TokenizerType.Multilingual,
                        _ => TokenizerType.Word,
                    },
                    Lowercase = t.HasLowercase ? t.Lowercase : null,
                    MinTokenLen = t.HasMinTokenLen ? (int)Math.Min(t.MinTokenLen, int.MaxValue) : null,
                    MaxTokenLen = t.HasMaxTokenLen ? (int)Math.Min(t.MaxTokenLen, int.MaxValue) : null,
                    OnDisk = t.HasOnDisk ? t.OnDisk : null,
                    PhraseMatching = t.HasPhraseMatching ? t.PhraseMatching : null,
                    AsciiFolding = t.HasAsciiFolding ? t.AsciiFolding : null,
                    EnableHnsw = t.HasEnableHnsw ? t.EnableHnsw : null,
                    Memory = Memory(t.HasMemory, t.Memory),
                    Stopwords = t.Stopwords is { } sw ? new TextStopwords
                    {
                        Languages = [.. sw.Languages.Select(StopwordLanguage)],
                        Custom = [.. sw.Custom],
                    } : null,
                });
            }
        }
    }

    private static string StopwordLanguage(string name)
    {
        try
        {
            return PayloadFieldSchema.FromJson(new System.Text.Json.Nodes.JsonObject { ["type"] = "text", ["stopwords"] = name }).Params!.Stopwords!.Single!;
        }
        catch (BadRequestException)
        {
            throw new BadRequestException($"Unknown stopwords language `{name}`");
        }
    }

    private static string? Memory(bool has, P.Memory m) => !has ? null : m switch
    {
        P.Memory.Cold => "cold",
        P.Memory.Cached => "cached",
        P.Memory.Pinned => "pinned",
        _ => null,
    };

    private static P.Memory MemoryOut(string m) => m switch { "cold" => P.Memory.Cold, "cached" => P.Memory.Cached, _ => P.Memory.Pinned };

    /// <summary>The params of a schema shown in collection info (null for a schema created from a bare type).</summary>
    public static P.PayloadIndexParams? ParamsOut(PayloadIndexInfo info)
    {
        if (info.Params is null) return null;
        var schema = PayloadFieldSchema.FromJson(info.Params);
        var o = schema.Params!;
        var result = new P.PayloadIndexParams();
        switch (schema.Type)
        {
            case PayloadSchemaType.Keyword:
            {
                var k = new P.KeywordIndexParams();
                if (o.IsTenant is bool t) k.IsTenant = t;
                if (o.OnDisk is bool d) k.OnDisk = d;
                if (o.EnableHnsw is bool h) k.EnableHnsw = h;
                if (o.Prefix == true) k.Prefix = new P.KeywordPrefixParams();
                if (o.Memory is { } m) k.Memory = MemoryOut(m);
                result.KeywordIndexParams = k;
                break;
            }
            case PayloadSchemaType.Integer:
            {
                var i = new P.IntegerIndexParams();
                if (o.Lookup is bool l) i.Lookup = l;
                if (o.Range is bool r) i.Range = r;
                if (o.IsPrincipal is bool p) i.IsPrincipal = p;
                if (o.OnDisk is bool d) i.OnDisk = d;
                if (o.EnableHnsw is bool h) i.EnableHnsw = h;
                if (o.Memory is { } m) i.Memory = MemoryOut(m);
                result.IntegerIndexParams = i;
                break;
            }
            case PayloadSchemaType.Float:
            {
                var f = new P.FloatIndexParams();
                if (o.IsPrincipal is bool p) f.IsPrincipal = p;
                if (o.OnDisk is bool d) f.OnDisk = d;
                if (o.EnableHnsw is bool h) f.EnableHnsw = h;
                if (o.Memory is { } m) f.Memory = MemoryOut(m);
                result.FloatIndexParams = f;
                break;
            }
            case PayloadSchemaType.Datetime:
            {
                var f = new P.DatetimeIndexParams();
                if (o.IsPrincipal is bool p) f.IsPrincipal = p;
                if (o.OnDisk is bool d) f.OnDisk = d;
                if (o.EnableHnsw is bool h) f.EnableHnsw = h;
                if (o.Memory is { } m) f.Memory = MemoryOut(m);
                result.DatetimeIndexParams = f;
                break;
            }
            case PayloadSchemaType.Uuid:
            {
                var u = new P.UuidIndexParams();
                if (o.IsTenant is bool t) u.IsTenant = t;
                if (o.OnDisk is bool d) u.OnDisk = d;
                if (o.EnableHnsw is bool h) u.EnableHnsw = h;
                if (o.Memory is { } m) u.Memory = MemoryOut(m);
                result.UuidIndexParams = u;
                break;
            }
            case PayloadSchemaType.Geo:
            {
                var g = new P.GeoIndexParams();
                if (o.OnDisk is bool d) g.OnDisk = d;
                if (o.EnableHnsw is bool h) g.EnableHnsw = h;
                if (o.Memory is { } m) g.Memory = MemoryOut(m);
                result.GeoIndexParams = g;
                break;
            }
            case PayloadSchemaType.Bool:
            {
                var b = new P.BoolIndexParams();
                if (o.OnDisk is bool d) b.OnDisk = d;
                if (o.EnableHnsw is bool h) b.EnableHnsw = h;
                if (o.Memory is { } m) b.Memory = MemoryOut(m);
                result.BoolIndexParams = b;
                break;
            }
            default:
            {
                var t = new P.TextIndexParams
                {
                    Tokenizer = o.Tokenizer switch
                    {
                        TokenizerType.Prefix => P.TokenizerType.Prefix,
                        TokenizerType.Whitespace => P.TokenizerType.Whitespace,
                        TokenizerType.Multilingual => P.TokenizerType.Multilingual,
                        _ => P.TokenizerType.Word,
                    },
                };
                if (o.Lowercase is bool lc) t.Lowercase = lc;
                if (o.MinTokenLen is int min) t.MinTokenLen = (ulong)min;
                if (o.MaxTokenLen is int max) t.MaxTokenLen = (ulong)max;
                if (o.OnDisk is bool d) t.OnDisk = d;
                if (o.PhraseMatching is bool pm) t.PhraseMatching = pm;
                if (o.AsciiFolding is bool af) t.AsciiFolding = af;
                if (o.EnableHnsw is bool h) t.EnableHnsw = h;
                if (o.Memory is { } m) t.Memory = MemoryOut(m);
                if (o.Stopwords is { } sw)
                {
                    var set = new P.StopwordsSet();
                    set.Languages.AddRange(sw.AllLanguages);
                    if (sw.Custom is { } c) set.Custom.AddRange(c);
                    t.Stopwords = set;
                }
                result.TextIndexParams = t;
                break;
            }
        }
        return result;
    }
#pragma warning restore CS0612

    public static FacetRequest Facet(P.FacetCounts r)
    {
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        int limit = r.HasLimit ? (int)Math.Min(r.Limit, int.MaxValue) : 10;
        return new FacetRequest(r.Key) { Filter = GrpcFilterMapper.Optional(r.Filter), Limit = limit, Exact = r.HasExact && r.Exact };
    }

    public static P.FacetHit Hit(FacetHit h) => new()
    {
        Value = h.Value.Kind switch
        {
            MatchScalarKind.Keyword => new P.FacetValue { StringValue = h.Value.Keyword },
            MatchScalarKind.Integer => new P.FacetValue { IntegerValue = h.Value.Integer },
            _ => new P.FacetValue { BoolValue = h.Value.Bool },
        },
        Count = (ulong)h.Count,
    };
}
