using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Server.Errors;
using static Grape.Server.Rest.Mapping.JsonRead;

namespace Grape.Server.Rest.Mapping;

/// <summary>Qdrant's Query API JSON (<c>QueryRequest</c>, <c>Prefetch</c>, <c>QueryInterface</c>, <c>Expression</c>, groups, matrix) → Core's query model.</summary>
internal static class QueryMapper
{
    /// <summary>A <c>QueryRequest</c>; <paramref name="groups"/> for <c>QueryGroupsRequest</c> (no offset).</summary>
    public static QueryRequest Query(JsonElement e, string path) => Request(e, path, groups: false);

    private static QueryRequest Request(JsonElement e, string path, bool groups)
    {
        ExpectObject(e, path, "a QueryRequest");
        PointsMapper.CheckShardKey(e);
        var usingName = OptString(e, "using", path) ?? PointStruct.DefaultVector;
        int limit = Opt(e, "limit") is { } l ? Int(l, Join(path, "limit"), min: 1, max: MaxLimit) : 10;
        return new QueryRequest
        {
            Prefetches = Prefetches(e, path),
            Query = Opt(e, "query") is { } q ? ScoringQuery(q, Join(path, "query")) : null,
            Using = usingName,
            Filter = FilterMapper.Optional(e, "filter", path),
            Params = SearchParams(e, path),
            ScoreThreshold = Opt(e, "score_threshold") is { } st ? Float(st, Join(path, "score_threshold")) : null,
            Limit = limit,
            Offset = groups ? 0 : OptInt(e, "offset", path, max: MaxLimit) ?? 0,
            WithPayload = PointsMapper.WithPayload(e, PayloadSelector.None),
            WithVectors = PointsMapper.WithVector(e, VectorSelector.None),
            LookupFrom = Lookup(e, path),
        };
    }

    /// <summary><c>QueryGroupsRequest</c> = QueryRequest fields + group_by*, group_size (3), limit (10 groups), with_lookup.</summary>
    public static QueryGroupsRequest Groups(JsonElement e, string path)
    {
        var query = Request(e, path, groups: true);
        return new QueryGroupsRequest(query, String(Req(e, "group_by", path), Join(path, "group_by")))
        {
            GroupSize = OptInt(e, "group_size", path, min: 1, max: MaxLimit) ?? 3,
            Limit = query.Limit,
            WithLookup = WithLookup(e, path),
        };
    }

    /// <summary><c>with_lookup</c>: a collection name, or {collection*, with_payload (true), with_vectors (false)}.</summary>
    public static WithLookup? WithLookup(JsonElement e, string path)
    {
        if (Opt(e, "with_lookup") is not { } w) return null;
        string p = Join(path, "with_lookup");
        if (w.ValueKind == JsonValueKind.String) return new WithLookup(w.GetString()!);
        ExpectObject(w, p, "a collection name or {collection, with_payload, with_vectors}");
        return new WithLookup(String(Req(w, "collection", p), Join(p, "collection")))
        {
            WithPayload = PointsMapper.WithPayload(w, PayloadSelector.All),
            WithVectors = PointsMapper.WithVector(w, VectorSelector.None),
        };
    }

    /// <summary><c>SearchMatrixRequest</c>: {filter, sample ≥ 2 (10), limit ≥ 1 (3), using}.</summary>
    public static SearchMatrixRequest Matrix(JsonElement e)
    {
        ExpectObject(e, "", "a SearchMatrixRequest");
        PointsMapper.CheckShardKey(e);
        return new SearchMatrixRequest
        {
            Filter = FilterMapper.Optional(e, "filter", ""),
            Sample = OptInt(e, "sample", "", min: 2, max: MaxLimit) ?? 10,
            Limit = OptInt(e, "limit", "", min: 1, max: MaxLimit) ?? 3,
            Using = OptString(e, "using", "") ?? PointStruct.DefaultVector,
        };
    }

    public static LookupLocation? Lookup(JsonElement e, string path)
    {
        if (Opt(e, "lookup_from") is not { } l) return null;
        string p = Join(path, "lookup_from");
        ExpectObject(l, p, "{collection, vector}");
        PointsMapper.CheckShardKey(l);
        return new LookupLocation(String(Req(l, "collection", p), Join(p, "collection"))) { Vector = OptString(l, "vector", p) };
    }

    public static SearchParams? SearchParams(JsonElement e, string path)
    {
        if (Opt(e, "params") is not { } p) return null;
        string pp = Join(path, "params");
        ExpectObject(p, pp, "SearchParams");
        if (Opt(p, "acorn") is { } acorn && acorn.ValueKind == JsonValueKind.Object && OptBool(acorn, "enable", pp + ".acorn") == true)
            throw RequestException.NotSupported("ACORN search");
        if (Opt(p, "quantization") is { } q) ExpectObject(q, pp + ".quantization", "QuantizationSearchParams");
        return new SearchParams
        {
            HnswEf = OptInt(p, "hnsw_ef", pp, min: 1, max: MaxLimit),
            Exact = OptBool(p, "exact", pp) ?? false,
            IndexedOnly = OptBool(p, "indexed_only", pp) ?? false,
        };
    }

    /// <summary><c>prefetch</c>: one Prefetch or a list.</summary>
    private static List<Prefetch> Prefetches(JsonElement e, string path)
    {
        if (Opt(e, "prefetch") is not { } p) return [];
        string pp = Join(path, "prefetch");
        if (p.ValueKind == JsonValueKind.Object) return [Prefetch(p, pp)];
        if (p.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{pp}: invalid type: {Kind(p)}, expected a Prefetch or a list of them");
        var list = new List<Prefetch>(p.GetArrayLength());
        int i = 0;
        foreach (var item in p.EnumerateArray()) list.Add(Prefetch(item, $"{pp}[{i++}]"));
        return list;
    }

    private static Prefetch Prefetch(JsonElement e, string path)
    {
        ExpectObject(e, path, "a Prefetch");
        return new Prefetch
        {
            Prefetches = Prefetches(e, path),
            Query = Opt(e, "query") is { } q ? ScoringQuery(q, Join(path, "query")) : null,
            Using = OptString(e, "using", path) ?? PointStruct.DefaultVector,
            Filter = FilterMapper.Optional(e, "filter", path),
            Params = SearchParams(e, path),
            ScoreThreshold = Opt(e, "score_threshold") is { } st ? Float(st, Join(path, "score_threshold")) : null,
            Limit = Opt(e, "limit") is { } l ? Int(l, Join(path, "limit"), min: 1, max: MaxLimit) : 10,
            LookupFrom = Lookup(e, path),
        };
    }

    /// <summary><c>QueryInterface</c>: a VectorInput (nearest) or one of the single-key query objects.</summary>
    private static ScoringQuery ScoringQuery(JsonElement q, string path)
    {
        if (q.ValueKind != JsonValueKind.Object || IsVectorObject(q)) return new ScoringQuery.Nearest(VectorInput(q, path));
        if (Opt(q, "nearest") is { } nearest)
        {
            var n = new ScoringQuery.Nearest(VectorInput(nearest, Join(path, "nearest")));
            if (Opt(q, "mmr") is not { } mmr) return n;
            string mp = Join(path, "mmr");
            ExpectObject(mmr, mp, "{diversity, candidates_limit}");
            float? diversity = Opt(mmr, "diversity") is { } dv ? Float(dv, Join(mp, "diversity")) : null;
            if (diversity is < 0f or > 1f) throw RequestException.Validation($"[{mp}.diversity: value {diversity} invalid, must be from 0 to 1]");
            return n with { Mmr = new Mmr { Diversity = diversity, CandidatesLimit = OptInt(mmr, "candidates_limit", mp, max: 16_384) } };
        }
        if (Opt(q, "recommend") is { } reco)
        {
            string rp = Join(path, "recommend");
            ExpectObject(reco, rp, "{positive, negative, strategy}");
            return new ScoringQuery.Recommend
            {
                Positive = Opt(reco, "positive") is { } pos ? VectorInputs(pos, Join(rp, "positive")) : [],
                Negative = Opt(reco, "negative") is { } neg ? VectorInputs(neg, Join(rp, "negative")) : [],
                Strategy = Strategy(reco, rp),
            };
        }
        if (Opt(q, "discover") is { } disc)
        {
            string dp = Join(path, "discover");
            ExpectObject(disc, dp, "{target, context}");
            return new ScoringQuery.Discover(VectorInput(Req(disc, "target", dp), Join(dp, "target")),
                Opt(disc, "context") is { } ctx ? Pairs(ctx, Join(dp, "context")) : []);
        }
        if (q.TryGetProperty("context", out var context))
            return new ScoringQuery.Context(context.ValueKind == JsonValueKind.Null ? [] : Pairs(context, Join(path, "context")));
        if (Opt(q, "order_by") is { } ob) return new ScoringQuery.OrderByQuery(OrderBy(ob, Join(path, "order_by")));
        if (Opt(q, "fusion") is { } fusion)
        {
            return String(fusion, Join(path, "fusion")) switch
            {
                "rrf" => new ScoringQuery.Fusion(FusionKind.Rrf),
                "dbsf" => new ScoringQuery.Fusion(FusionKind.Dbsf),
                var other => throw RequestException.Format($"{path}.fusion: unknown variant `{other}`, expected `rrf` or `dbsf`"),
            };
        }
        if (Opt(q, "rrf") is { } rrf)
        {
            string rp = Join(path, "rrf");
            ExpectObject(rrf, rp, "{k, weights}");
            List<float>? weights = null;
            if (Opt(rrf, "weights") is { } w)
            {
                if (w.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{rp}.weights: invalid type: {Kind(w)}, expected a list of numbers");
                weights = [.. w.EnumerateArray().Select((x, i) => Float(x, $"{rp}.weights[{i}]"))];
            }
            return new ScoringQuery.Rrf { K = OptInt(rrf, "k", rp, min: 1), Weights = weights };
        }
        if (Opt(q, "formula") is { } formula)
        {
            var defaults = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
            if (Opt(q, "defaults") is { } d)
            {
                ExpectObject(d, Join(path, "defaults"), "a map of defaults");
                foreach (var p in d.EnumerateObject()) defaults[p.Name] = JsonNode.Parse(p.Value.GetRawText());
            }
            return new ScoringQuery.Formula(Expression(formula, Join(path, "formula"))) { Defaults = defaults };
        }
        if (Opt(q, "sample") is { } sample)
        {
            return String(sample, Join(path, "sample")) == "random" ? new ScoringQuery.Sample()
                : throw RequestException.Format($"{path}.sample: unknown variant `{sample.GetString()}`, expected `random`");
        }
        if (q.TryGetProperty("relevance_feedback", out _)) throw RequestException.NotSupported("the `relevance_feedback` query");
        throw RequestException.Format($"{path}: data did not match any variant of untagged enum QueryInterface");
    }

    private static bool IsVectorObject(JsonElement q) =>
        q.TryGetProperty("indices", out _) || q.TryGetProperty("text", out _) || q.TryGetProperty("image", out _) || q.TryGetProperty("object", out _);

    private static RecommendStrategy Strategy(JsonElement reco, string path) => OptString(reco, "strategy", path) switch
    {
        null or "average_vector" => RecommendStrategy.AverageVector,
        "best_score" => RecommendStrategy.BestScore,
        "sum_scores" => RecommendStrategy.SumScores,
        var other => throw RequestException.Format($"{path}.strategy: unknown variant `{other}`, expected one of `average_vector`, `best_score`, `sum_scores`"),
    };

    /// <summary><c>VectorInput</c>: dense vector | multivector | point id (number or UUID string). Sparse and inference inputs: not yet.</summary>
    public static VectorInput VectorInput(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                if (MultiVectorJson.IsMulti(e)) return Grape.Core.Query.VectorInput.FromMulti(MultiVectorJson.Read(e, path).MultiDense!);
                return Grape.Core.Query.VectorInput.FromDense(Dense(e, path));
            case JsonValueKind.Number:
            case JsonValueKind.String:
                return Grape.Core.Query.VectorInput.FromId(PointId(e, path));
            case JsonValueKind.Object:
                if (e.TryGetProperty("indices", out _)) throw RequestException.NotSupported("sparse vectors");
                throw RequestException.NotSupported("server-side inference (Document, Image, InferenceObject)");
        }
        throw RequestException.Format($"{path}: invalid type: {Kind(e)}, expected a vector or a point id");
    }

    public static List<VectorInput> VectorInputs(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{path}: invalid type: {Kind(e)}, expected a list of vectors or point ids");
        var list = new List<VectorInput>(e.GetArrayLength());
        int i = 0;
        foreach (var item in e.EnumerateArray()) list.Add(VectorInput(item, $"{path}[{i++}]"));
        return list;
    }

    /// <summary>ContextPair | [ContextPair].</summary>
    public static List<ContextPair> Pairs(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.Object) return [Pair(e, path)];
        if (e.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{path}: invalid type: {Kind(e)}, expected a context pair or a list of them");
        var list = new List<ContextPair>(e.GetArrayLength());
        int i = 0;
        foreach (var item in e.EnumerateArray()) list.Add(Pair(item, $"{path}[{i++}]"));
        return list;
    }

    private static ContextPair Pair(JsonElement e, string path)
    {
        ExpectObject(e, path, "{positive, negative}");
        return new ContextPair(VectorInput(Req(e, "positive", path), Join(path, "positive")), VectorInput(Req(e, "negative", path), Join(path, "negative")));
    }

    /// <summary><c>OrderByInterface</c>: a key, or {key*, direction, start_from (number or RFC 3339)}.</summary>
    public static OrderBy OrderBy(JsonElement e, string path)
    {
        if (e.ValueKind == JsonValueKind.String) return new OrderBy(e.GetString()!);
        ExpectObject(e, path, "a key or {key, direction, start_from}");
        var direction = OptString(e, "direction", path) switch
        {
            null or "asc" => OrderDirection.Asc,
            "desc" => OrderDirection.Desc,
            var other => throw RequestException.Format($"{path}.direction: unknown variant `{other}`, expected `asc` or `desc`"),
        };
        double? start = null;
        if (Opt(e, "start_from") is { } s)
        {
            if (s.ValueKind == JsonValueKind.String)
            {
                // A datetime start compares with datetime values in microseconds, as Qdrant's datetime index stores them.
                if (!DateTimeOffset.TryParse(s.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt))
                    throw RequestException.Format($"{path}.start_from: `{s.GetString()}` is not an RFC 3339 date-time");
                start = (dt.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
            }
            else start = Double(s, Join(path, "start_from"));
        }
        return new OrderBy(String(Req(e, "key", path), Join(path, "key"))) { Direction = direction, StartFrom = start };
    }

    /// <summary>Qdrant's <c>Expression</c>: number | variable string | Condition | one-key operator object.</summary>
    public static Expression Expression(JsonElement e, string path)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number: return new Expression.Constant(Double(e, path));
            case JsonValueKind.String: return new Expression.Variable(e.GetString()!);
            case JsonValueKind.Object: break;
            default: throw RequestException.Format($"{path}: invalid type: {Kind(e)}, expected an expression");
        }
        Expression One(string name) => Expression(e.GetProperty(name), Join(path, name));
        List<Expression> Many(string name)
        {
            var a = e.GetProperty(name);
            if (a.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{path}.{name}: invalid type: {Kind(a)}, expected a list of expressions");
            return [.. a.EnumerateArray().Select((x, i) => Expression(x, $"{path}.{name}[{i}]"))];
        }
        if (Has(e, "mult")) return new Expression.Mult(Many("mult"));
        if (Has(e, "sum")) return new Expression.Sum(Many("sum"));
        if (Has(e, "neg")) return new Expression.Neg(One("neg"));
        if (Has(e, "abs")) return new Expression.Abs(One("abs"));
        if (Has(e, "sqrt")) return new Expression.Sqrt(One("sqrt"));
        if (Has(e, "exp")) return new Expression.Exp(One("exp"));
        if (Has(e, "log10")) return new Expression.Log10(One("log10"));
        if (Has(e, "ln")) return new Expression.Ln(One("ln"));
        if (Opt(e, "div") is { } div)
        {
            string p = Join(path, "div");
            ExpectObject(div, p, "{left, right, by_zero_default}");
            return new Expression.Div(Expression(Req(div, "left", p), Join(p, "left")), Expression(Req(div, "right", p), Join(p, "right")),
                Opt(div, "by_zero_default") is { } z ? Float(z, Join(p, "by_zero_default")) : null);
        }
        if (Opt(e, "pow") is { } pow)
        {
            string p = Join(path, "pow");
            ExpectObject(pow, p, "{base, exponent}");
            return new Expression.Pow(Expression(Req(pow, "base", p), Join(p, "base")), Expression(Req(pow, "exponent", p), Join(p, "exponent")));
        }
        if (Opt(e, "geo_distance") is { } geo)
        {
            string p = Join(path, "geo_distance");
            ExpectObject(geo, p, "{origin, to}");
            return new Expression.GeoDistance(FilterMapper.Geo(Req(geo, "origin", p), Join(p, "origin")), String(Req(geo, "to", p), Join(p, "to")));
        }
        if (Opt(e, "datetime") is { } dt) return new Expression.Datetime(String(dt, Join(path, "datetime")));
        if (Opt(e, "datetime_key") is { } dk) return new Expression.DatetimeKey(String(dk, Join(path, "datetime_key")));
        foreach (var (name, kind) in new[] { ("lin_decay", DecayKind.Lin), ("exp_decay", DecayKind.Exp), ("gauss_decay", DecayKind.Gauss) })
        {
            if (Opt(e, name) is not { } decay) continue;
            string p = Join(path, name);
            ExpectObject(decay, p, "{x, target, scale, midpoint}");
            return new Expression.Decay(kind, Expression(Req(decay, "x", p), Join(p, "x")))
            {
                Target = Opt(decay, "target") is { } t ? Expression(t, Join(p, "target")) : null,
                Scale = Opt(decay, "scale") is { } s ? Float(s, Join(p, "scale")) : null,
                Midpoint = Opt(decay, "midpoint") is { } m ? Float(m, Join(p, "midpoint")) : null,
            };
        }
        return new Expression.ConditionValue(FilterMapper.Condition(e, path));
    }

    private static bool Has(JsonElement e, string name) => Opt(e, name) is not null;
}
