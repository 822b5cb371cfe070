using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Server.Errors;
using Grape.Server.Rest.Mapping;
using C = Grape.Core.Filtering.Model;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>Qdrant's gRPC query messages (<c>QueryPoints</c>, <c>PrefetchQuery</c>, <c>Query</c>, <c>Expression</c>, groups, matrix, legacy recommend/discover) → Core's query model.</summary>
internal static class GrpcQueryMapper
{
    public static QueryRequest Query(P.QueryPoints r)
    {
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        return new QueryRequest
        {
            Prefetches = [.. r.Prefetch.Select(Prefetch)],
            Query = r.Query is { } q ? Scoring(q) : null,
            Using = r.HasUsing ? r.Using : PointStruct.DefaultVector,
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Params = Params(r.Params),
            ScoreThreshold = r.HasScoreThreshold ? r.ScoreThreshold : null,
            Limit = r.HasLimit ? Limit(r.Limit, "limit") : 10,
            Offset = r.HasOffset ? Offset(r.Offset) : 0,
            WithPayload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.None),
            WithVectors = GrpcPointsMapper.WithVectors(r.WithVectors),
            LookupFrom = Lookup(r.LookupFrom),
        };
    }

    public static QueryGroupsRequest Groups(P.QueryPointGroups r)
    {
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        var query = new QueryRequest
        {
            Prefetches = [.. r.Prefetch.Select(Prefetch)],
            Query = r.Query is { } q ? Scoring(q) : null,
            Using = r.HasUsing ? r.Using : PointStruct.DefaultVector,
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Params = Params(r.Params),
            ScoreThreshold = r.HasScoreThreshold ? r.ScoreThreshold : null,
            WithPayload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.None),
            WithVectors = GrpcPointsMapper.WithVectors(r.WithVectors),
            LookupFrom = Lookup(r.LookupFrom),
        };
        return new QueryGroupsRequest(query, GrpcLegacyQueryMapper.GroupBy(r.GroupBy))
        {
            GroupSize = r.HasGroupSize ? Limit(r.GroupSize, "group_size") : 3,
            Limit = r.HasLimit ? Limit(r.Limit, "limit") : 10,
            WithLookup = WithLookup(r.WithLookup),
        };
    }

    public static SearchMatrixRequest Matrix(P.SearchMatrixPoints r)
    {
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        return new SearchMatrixRequest
        {
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Sample = r.HasSample ? Limit(r.Sample, "sample") : 10,
            Limit = r.HasLimit ? Limit(r.Limit, "limit") : 3,
            Using = r.HasUsing ? r.Using : PointStruct.DefaultVector,
        };
    }

    public static WithLookup? WithLookup(P.WithLookup? w) => w is null ? null : new WithLookup(w.Collection)
    {
        WithPayload = GrpcPointsMapper.WithPayload(w.WithPayload, PayloadSelector.All),
        WithVectors = GrpcPointsMapper.WithVectors(w.WithVectors),
    };

    private static Prefetch Prefetch(P.PrefetchQuery p) => new()
    {
        Prefetches = [.. p.Prefetch.Select(Prefetch)],
        Query = p.Query is { } q ? Scoring(q) : null,
        Using = p.HasUsing ? p.Using : PointStruct.DefaultVector,
        Filter = GrpcFilterMapper.Optional(p.Filter),
        Params = Params(p.Params),
        ScoreThreshold = p.HasScoreThreshold ? p.ScoreThreshold : null,
        Limit = p.HasLimit ? Limit(p.Limit, "prefetch.limit") : 10,
        LookupFrom = Lookup(p.LookupFrom),
    };

    public static LookupLocation? Lookup(P.LookupLocation? l)
    {
        if (l is null) return null;
        if (l.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        return new LookupLocation(l.CollectionName) { Vector = l.HasVectorName ? l.VectorName : null };
    }

    public static SearchParams? Params(P.SearchParams? p)
    {
        if (p is null) return null;
        if (p.Acorn is { HasEnable: true, Enable: true }) throw RequestException.NotSupported("ACORN search");
        return new SearchParams
        {
            HnswEf = p.HasHnswEf ? Limit(p.HnswEf, "params.hnsw_ef") : null,
            Exact = p.HasExact && p.Exact,
            IndexedOnly = p.HasIndexedOnly && p.IndexedOnly,
        };
    }

    private static ScoringQuery Scoring(P.Query q) => q.VariantCase switch
    {
        P.Query.VariantOneofCase.Nearest => new ScoringQuery.Nearest(Input(q.Nearest)),
        P.Query.VariantOneofCase.NearestWithMmr => new ScoringQuery.Nearest(Input(q.NearestWithMmr.Nearest))
        {
            Mmr = q.NearestWithMmr.Mmr is { } m
                ? new Mmr { Diversity = m.HasDiversity ? m.Diversity : null, CandidatesLimit = m.HasCandidatesLimit ? (int)Math.Min(m.CandidatesLimit, int.MaxValue) : null }
                : new Mmr(),
        },
        P.Query.VariantOneofCase.Recommend => new ScoringQuery.Recommend
        {
            Positive = [.. q.Recommend.Positive.Select(Input)],
            Negative = [.. q.Recommend.Negative.Select(Input)],
            Strategy = q.Recommend.HasStrategy ? Strategy(q.Recommend.Strategy) : RecommendStrategy.AverageVector,
        },
        P.Query.VariantOneofCase.Discover => new ScoringQuery.Discover(Input(q.Discover.Target), Pairs(q.Discover.Context)),
        P.Query.VariantOneofCase.Context => new ScoringQuery.Context(Pairs(q.Context)),
        P.Query.VariantOneofCase.OrderBy => new ScoringQuery.OrderByQuery(OrderBy(q.OrderBy)),
        P.Query.VariantOneofCase.Fusion => new ScoringQuery.Fusion(q.Fusion == P.Fusion.Dbsf ? FusionKind.Dbsf : FusionKind.Rrf),
        P.Query.VariantOneofCase.Rrf => new ScoringQuery.Rrf { K = q.Rrf.HasK ? (int)Math.Min(q.Rrf.K, int.MaxValue) : null, Weights = q.Rrf.Weights.Count > 0 ? [.. q.Rrf.Weights] : null },
        P.Query.VariantOneofCase.Sample => new ScoringQuery.Sample(),
        P.Query.VariantOneofCase.Formula => new ScoringQuery.Formula(Expression(q.Formula.Expression))
        {
            Defaults = q.Formula.Defaults.ToDictionary(kv => kv.Key, kv => ValueMapper.ToJson(kv.Value)),
        },
        P.Query.VariantOneofCase.RelevanceFeedback => throw RequestException.NotSupported("the `relevance_feedback` query"),
        _ => throw GrpcInput.Invalid("query: one of its variants must be set"),
    };

    public static RecommendStrategy Strategy(P.RecommendStrategy s) => s switch
    {
        P.RecommendStrategy.BestScore => RecommendStrategy.BestScore,
        P.RecommendStrategy.SumScores => RecommendStrategy.SumScores,
        _ => RecommendStrategy.AverageVector,
    };

    private static List<ContextPair> Pairs(P.ContextInput? c) =>
        c is null ? [] : [.. c.Pairs.Select(p => new ContextPair(Input(p.Positive), Input(p.Negative)))];

    public static VectorInput Input(P.VectorInput? v) => v?.VariantCase switch
    {
        P.VectorInput.VariantOneofCase.Dense => VectorInput.FromDense([.. v.Dense.Data]),
        P.VectorInput.VariantOneofCase.Id => VectorInput.FromId(GrpcPointsMapper.Id(v.Id)),
        P.VectorInput.VariantOneofCase.Sparse => throw RequestException.NotSupported("sparse vectors"),
        P.VectorInput.VariantOneofCase.MultiDense => GrpcMultiVectorMapper.Input(v.MultiDense),
        null or P.VectorInput.VariantOneofCase.None => throw GrpcInput.Invalid("query: a vector or a point id is required"),
        _ => throw RequestException.NotSupported("server-side inference (Document, Image, InferenceObject)"),
    };

    private static OrderBy OrderBy(P.OrderBy o)
    {
        double? start = o.StartFrom?.ValueCase switch
        {
            P.StartFrom.ValueOneofCase.Float => o.StartFrom.Float,
            P.StartFrom.ValueOneofCase.Integer => o.StartFrom.Integer,
            P.StartFrom.ValueOneofCase.Timestamp => (o.StartFrom.Timestamp.ToDateTime().Ticks - DateTime.UnixEpoch.Ticks) / 10,
            P.StartFrom.ValueOneofCase.Datetime => DateTimeOffset.TryParse(o.StartFrom.Datetime, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var dt)
                ? (dt.UtcTicks - DateTime.UnixEpoch.Ticks) / 10
                : throw GrpcInput.Invalid($"order_by.start_from: `{o.StartFrom.Datetime}` is not an RFC 3339 date-time"),
            _ => null,
        };
        return new OrderBy(o.Key) { Direction = o.HasDirection && o.Direction == P.Direction.Desc ? OrderDirection.Desc : OrderDirection.Asc, StartFrom = start };
    }

    private static Expression Expression(P.Expression? e) => e?.VariantCase switch
    {
        P.Expression.VariantOneofCase.Constant => new Expression.Constant(e.Constant),
        P.Expression.VariantOneofCase.Variable => new Expression.Variable(e.Variable),
        P.Expression.VariantOneofCase.Condition => new Expression.ConditionValue(GrpcFilterMapper.Condition(e.Condition)),
        P.Expression.VariantOneofCase.GeoDistance => new Expression.GeoDistance(new C.GeoPoint(e.GeoDistance.Origin.Lon, e.GeoDistance.Origin.Lat), e.GeoDistance.To),
        P.Expression.VariantOneofCase.Datetime => new Expression.Datetime(e.Datetime),
        P.Expression.VariantOneofCase.DatetimeKey => new Expression.DatetimeKey(e.DatetimeKey),
        P.Expression.VariantOneofCase.Mult => new Expression.Mult([.. e.Mult.Mult.Select(Expression)]),
        P.Expression.VariantOneofCase.Sum => new Expression.Sum([.. e.Sum.Sum.Select(Expression)]),
        P.Expression.VariantOneofCase.Div => new Expression.Div(Expression(e.Div.Left), Expression(e.Div.Right), e.Div.HasByZeroDefault ? e.Div.ByZeroDefault : null),
        P.Expression.VariantOneofCase.Neg => new Expression.Neg(Expression(e.Neg)),
        P.Expression.VariantOneofCase.Abs => new Expression.Abs(Expression(e.Abs)),
        P.Expression.VariantOneofCase.Sqrt => new Expression.Sqrt(Expression(e.Sqrt)),
        P.Expression.VariantOneofCase.Pow => new Expression.Pow(Expression(e.Pow.Base), Expression(e.Pow.Exponent)),
        P.Expression.VariantOneofCase.Exp => new Expression.Exp(Expression(e.Exp)),
        P.Expression.VariantOneofCase.Log10 => new Expression.Log10(Expression(e.Log10)),
        P.Expression.VariantOneofCase.Ln => new Expression.Ln(Expression(e.Ln)),
        P.Expression.VariantOneofCase.ExpDecay => Decay(DecayKind.Exp, e.ExpDecay),
        P.Expression.VariantOneofCase.GaussDecay => Decay(DecayKind.Gauss, e.GaussDecay),
        P.Expression.VariantOneofCase.LinDecay => Decay(DecayKind.Lin, e.LinDecay),
        _ => throw GrpcInput.Invalid("formula: an expression must have one of its variants set"),
    };

    private static Expression Decay(DecayKind kind, P.DecayParamsExpression d) => new Expression.Decay(kind, Expression(d.X))
    {
        Target = d.Target is { } t ? Expression(t) : null,
        Scale = d.HasScale ? d.Scale : null,
        Midpoint = d.HasMidpoint ? d.Midpoint : null,
    };

    public static int Limit(ulong v, string what) =>
        v is >= 1 and <= JsonRead.MaxLimit ? (int)v : throw GrpcInput.Invalid($"{what}: value {v} invalid, must be from 1 to {JsonRead.MaxLimit}");

    public static int Offset(ulong v) =>
        v <= JsonRead.MaxLimit ? (int)v : throw GrpcInput.Invalid($"offset: value {v} invalid, must be {JsonRead.MaxLimit} or less");
}
