using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Server.Errors;
using Grape.Server.Rest.Mapping;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>
/// Qdrant's <c>SearchPoints</c>, <c>ScrollPoints</c>, <c>CountPoints</c> → the same Core requests REST builds.
/// </summary>
internal static class GrpcSearchMapper
{
    public static SearchRequest Search(P.SearchPoints r)
    {
        if (r.SparseIndices is not null) throw RequestException.NotSupported("sparse vectors");
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        return new SearchRequest(r.Vector.ToArray())
        {
            Using = r.HasVectorName ? r.VectorName : PointStruct.DefaultVector,
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Limit = Limit(r.Limit, "limit"),
            Offset = r.HasOffset ? Offset(r.Offset) : 0,
            ScoreThreshold = r.HasScoreThreshold ? r.ScoreThreshold : null,
            Params = Params(r.Params),
            WithPayload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.None),
            WithVectors = GrpcPointsMapper.WithVectors(r.WithVectors),
        };
    }

    public static ScrollRequest Scroll(P.ScrollPoints r)
    {
        if (r.OrderBy is not null) throw RequestException.NotSupported("`order_by`");
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        return new ScrollRequest
        {
            Filter = GrpcFilterMapper.Optional(r.Filter),
            Limit = r.HasLimit ? Limit(r.Limit, "limit") : 10,
            Offset = r.Offset is { } o ? GrpcPointsMapper.Id(o) : null,
            WithPayload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.All),
            WithVectors = GrpcPointsMapper.WithVectors(r.WithVectors),
        };
    }

    public static CountRequest Count(P.CountPoints r)
    {
        if (r.ShardKeySelector is not null) throw RequestException.NotSupported("`shard_key`");
        return new CountRequest { Filter = GrpcFilterMapper.Optional(r.Filter), Exact = !r.HasExact || r.Exact };
    }

    private static SearchParams? Params(P.SearchParams? p)
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

    private static int Limit(ulong v, string what) =>
        v is >= 1 and <= JsonRead.MaxLimit ? (int)v : throw GrpcInput.Invalid($"{what}: value {v} invalid, must be from 1 to {JsonRead.MaxLimit}");

    private static int Offset(ulong v) =>
        v <= JsonRead.MaxLimit ? (int)v : throw GrpcInput.Invalid($"offset: value {v} invalid, must be {JsonRead.MaxLimit} or less");
}
