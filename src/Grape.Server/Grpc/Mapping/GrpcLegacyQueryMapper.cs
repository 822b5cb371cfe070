using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Server.Errors;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>
/// Qdrant's legacy gRPC messages (<c>RecommendPoints</c>, <c>RecommendPointGroups</c>, <c>DiscoverPoints</c>,
/// <c>SearchPointGroups</c>) → the equivalent Query API request, built exactly as REST's legacy routes build theirs
/// (<see cref="Rest.Mapping.LegacyQueryMapper"/>), so both protocols answer the same.
/// </summary>
internal static class GrpcLegacyQueryMapper
{
    public static QueryRequest Recommend(P.RecommendPoints r)
    {
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        var query = RecommendQuery(r.Positive, r.PositiveVectors, r.Negative, r.NegativeVectors, r.HasStrategy, r.Strategy);
        return new QueryRequest
        {
            Query = query,
            Using = r.HasUsing ? r.Using : PointStruct.DefaultVector,
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Params = GrpcQueryMapper.Params(r.Params),
            ScoreThreshold = r.HasScoreThreshold ? r.ScoreThreshold : null,
            Limit = GrpcQueryMapper.Limit(r.Limit, "limit"),
            Offset = r.HasOffset ? GrpcQueryMapper.Offset(r.Offset) : 0,
            WithPayload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.None),
            WithVectors = GrpcPointsMapper.WithVectors(r.WithVectors),
            LookupFrom = GrpcQueryMapper.Lookup(r.LookupFrom),
        };
    }

    public static QueryGroupsRequest RecommendGroups(P.RecommendPointGroups r)
    {
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        var query = RecommendQuery(r.Positive, r.PositiveVectors, r.Negative, r.NegativeVectors, r.HasStrategy, r.Strategy);
        var request = new QueryRequest
        {
            Query = query,
            Using = r.HasUsing ? r.Using : PointStruct.DefaultVector,
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Params = GrpcQueryMapper.Params(r.Params),
            ScoreThreshold = r.HasScoreThreshold ? r.ScoreThreshold : null,
            WithPayload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.None),
            WithVectors = GrpcPointsMapper.WithVectors(r.WithVectors),
            LookupFrom = GrpcQueryMapper.Lookup(r.LookupFrom),
        };
        return Groups(request, r.GroupBy, r.GroupSize, r.Limit, r.WithLookup);
    }

    public static QueryRequest Discover(P.DiscoverPoints r)
    {
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        var pairs = new List<ContextPair>(r.Context.Count);
        foreach (var pair in r.Context)
            pairs.Add(new ContextPair(Example(pair.Positive, "context.positive"), Example(pair.Negative, "context.negative")));
        ScoringQuery query = r.Target?.TargetCase == P.TargetVector.TargetOneofCase.Single
            ? new ScoringQuery.Discover(Example(r.Target.Single, "target"), pairs)
            : pairs.Count > 0 ? new ScoringQuery.Context(pairs)
            : throw new BadRequestException("Bad request: target or context must be specified for discovery");
        return new QueryRequest
        {
            Query = query,
            Using = r.HasUsing ? r.Using : PointStruct.DefaultVector,
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Params = GrpcQueryMapper.Params(r.Params),
            Limit = GrpcQueryMapper.Limit(r.Limit, "limit"),
            Offset = r.HasOffset ? GrpcQueryMapper.Offset(r.Offset) : 0,
            WithPayload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.None),
            WithVectors = GrpcPointsMapper.WithVectors(r.WithVectors),
            LookupFrom = GrpcQueryMapper.Lookup(r.LookupFrom),
        };
    }

    public static QueryGroupsRequest SearchGroups(P.SearchPointGroups r)
    {
        if (r.SparseIndices is not null) throw RequestException.NotSupported("sparse vectors");
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        var request = new QueryRequest
        {
            Query = new ScoringQuery.Nearest(VectorInput.FromDense([.. r.Vector])),
            Using = r.HasVectorName ? r.VectorName : PointStruct.DefaultVector,
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Params = GrpcQueryMapper.Params(r.Params),
            ScoreThreshold = r.HasScoreThreshold ? r.ScoreThreshold : null,
            WithPayload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.None),
            WithVectors = GrpcPointsMapper.WithVectors(r.WithVectors),
        };
        return Groups(request, r.GroupBy, r.GroupSize, r.Limit, r.WithLookup);
    }

    private static QueryGroupsRequest Groups(QueryRequest query, string groupBy, uint groupSize, uint limit, P.WithLookup? lookup)
    {
        // Qdrant validates these three on the gRPC message itself: group_by non-empty, group_size and limit ≥ 1.
        return new QueryGroupsRequest(query, GroupBy(groupBy))
        {
            GroupSize = GrpcQueryMapper.Limit(groupSize, "group_size"),
            Limit = GrpcQueryMapper.Limit(limit, "limit"),
            WithLookup = GrpcQueryMapper.WithLookup(lookup),
        };
    }

    /// <summary>Qdrant's gRPC validation of every grouped request's <c>group_by</c> (a proto string is "" when unset).</summary>
    public static string GroupBy(string groupBy) =>
        groupBy.Length > 0 ? groupBy : throw GrpcInput.Invalid("group_by: must not be empty");

    private static ScoringQuery.Recommend RecommendQuery(
        IReadOnlyList<P.PointId> positiveIds, IReadOnlyList<P.Vector> positiveVectors,
        IReadOnlyList<P.PointId> negativeIds, IReadOnlyList<P.Vector> negativeVectors,
        bool hasStrategy, P.RecommendStrategy strategy)
    {
        var positive = Examples(positiveIds, positiveVectors, "positive_vectors");
        var negative = Examples(negativeIds, negativeVectors, "negative_vectors");
        var s = hasStrategy ? GrpcQueryMapper.Strategy(strategy) : RecommendStrategy.AverageVector;
        // The same checks, in the same order and with the same text, as REST's legacy recommend.
        if (s == RecommendStrategy.AverageVector && positive.Count == 0)
            throw new BadRequestException("Bad request: At least one positive vector ID required with this strategy");
        if (positive.Count == 0 && negative.Count == 0)
            throw new BadRequestException("Bad request: At least one positive or negative vector ID required with this strategy");
        return new ScoringQuery.Recommend { Positive = positive, Negative = negative, Strategy = s };
    }

    /// <summary>Ids first, then vectors, as Qdrant chains them.</summary>
    private static List<VectorInput> Examples(IReadOnlyList<P.PointId> ids, IReadOnlyList<P.Vector> vectors, string what)
    {
        var list = new List<VectorInput>(ids.Count + vectors.Count);
        foreach (var id in ids) list.Add(VectorInput.FromId(GrpcPointsMapper.Id(id)));
        foreach (var v in vectors) list.Add(GrpcQueryMapper.Input(AsInput(v, what)));
        return list;
    }

    private static VectorInput Example(P.VectorExample? e, string what) => e?.ExampleCase switch
    {
        P.VectorExample.ExampleOneofCase.Id => VectorInput.FromId(GrpcPointsMapper.Id(e.Id)),
        P.VectorExample.ExampleOneofCase.Vector => GrpcQueryMapper.Input(AsInput(e.Vector, what)),
        _ => throw GrpcInput.Invalid($"{what}: an example must be a point id or a vector"),
    };

    /// <summary>
    /// A legacy <c>Vector</c> as the <c>VectorInput</c> the query mapper reads: the <c>vector</c> oneof case by case;
    /// the deprecated flat form as dense data, sparse with <c>indices</c>, or <c>vectors_count</c> rows of a multivector.
    /// </summary>
    private static P.VectorInput AsInput(P.Vector v, string what)
    {
        switch (v.VectorCase)
        {
            case P.Vector.VectorOneofCase.Dense: return new P.VectorInput { Dense = v.Dense };
            case P.Vector.VectorOneofCase.Sparse: return new P.VectorInput { Sparse = v.Sparse };
            case P.Vector.VectorOneofCase.MultiDense: return new P.VectorInput { MultiDense = v.MultiDense };
            case P.Vector.VectorOneofCase.Document: return new P.VectorInput { Document = v.Document };
            case P.Vector.VectorOneofCase.Image: return new P.VectorInput { Image = v.Image };
            case P.Vector.VectorOneofCase.Object: return new P.VectorInput { Object = v.Object };
        }
#pragma warning disable CS0612 // the deprecated flat fields are what older clients still send
        if (v.Indices is not null)
        {
            var sparse = new P.SparseVector();
            sparse.Values.Add(v.Data);
            sparse.Indices.Add(v.Indices.Data);
            return new P.VectorInput { Sparse = sparse };
        }
        if (v.Data.Count == 0) throw GrpcInput.Invalid($"{what}: a vector must not be empty");
        if (v.HasVectorsCount && v.VectorsCount > 1)
        {
            int rows = (int)Math.Min(v.VectorsCount, int.MaxValue);
            if (v.Data.Count % rows != 0) throw GrpcInput.Invalid($"{what}: {v.Data.Count} values do not split into {rows} vectors of one length");
            int dim = v.Data.Count / rows;
            var multi = new P.MultiDenseVector();
            for (int i = 0; i < rows; i++)
            {
                var row = new P.DenseVector();
                for (int j = 0; j < dim; j++) row.Data.Add(v.Data[i * dim + j]);
                multi.Vectors.Add(row);
            }
            return new P.VectorInput { MultiDense = multi };
        }
        var dense = new P.DenseVector();
        dense.Data.Add(v.Data);
        return new P.VectorInput { Dense = dense };
#pragma warning restore CS0612
    }
}
