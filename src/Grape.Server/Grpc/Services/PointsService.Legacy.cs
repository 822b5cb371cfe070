using Grape.Core.Query;
using Grape.Server.Grpc.Hosting;
using Grape.Server.Grpc.Mapping;
using Grpc.Core;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Services;

// Qdrant's legacy Recommend*, Discover* and SearchGroups RPCs: each message becomes the equivalent query (the same
// request REST's legacy routes build) and is answered by the same engine calls, so both protocols return the same.
#pragma warning disable CS0672 // Qdrant marks these deprecated in favour of Query, but its clients still call them
internal sealed partial class PointsService
{
    public override async Task<P.RecommendResponse> Recommend(P.RecommendPoints r, ServerCallContext context)
    {
        var request = GrpcLegacyQueryMapper.Recommend(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var points = await call.Db.QueryAsync(r.CollectionName, request, null, call.Token).ConfigureAwait(false);
        var response = new P.RecommendResponse();
        foreach (var p in points) response.Result.Add(GrpcPointsMapper.Scored(p, request.WithPayload));
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.RecommendBatchResponse> RecommendBatch(P.RecommendBatchPoints r, ServerCallContext context)
    {
        var requests = new List<QueryRequest>(r.RecommendPoints.Count);
        foreach (var one in r.RecommendPoints) requests.Add(GrpcLegacyQueryMapper.Recommend(one));
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var results = await call.Db.QueryBatchAsync(r.CollectionName, requests, call.Token).ConfigureAwait(false);
        var response = new P.RecommendBatchResponse();
        AddBatches(response.Result, results, requests);
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.RecommendGroupsResponse> RecommendGroups(P.RecommendPointGroups r, ServerCallContext context)
    {
        var request = GrpcLegacyQueryMapper.RecommendGroups(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var groups = await call.Db.QueryGroupsAsync(r.CollectionName, request, call.Token).ConfigureAwait(false);
        return new P.RecommendGroupsResponse { Result = Groups(groups, request), Time = call.Seconds };
    }

    public override async Task<P.DiscoverResponse> Discover(P.DiscoverPoints r, ServerCallContext context)
    {
        var request = GrpcLegacyQueryMapper.Discover(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var points = await call.Db.QueryAsync(r.CollectionName, request, null, call.Token).ConfigureAwait(false);
        var response = new P.DiscoverResponse();
        foreach (var p in points) response.Result.Add(GrpcPointsMapper.Scored(p, request.WithPayload));
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.DiscoverBatchResponse> DiscoverBatch(P.DiscoverBatchPoints r, ServerCallContext context)
    {
        var requests = new List<QueryRequest>(r.DiscoverPoints.Count);
        foreach (var one in r.DiscoverPoints) requests.Add(GrpcLegacyQueryMapper.Discover(one));
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var results = await call.Db.QueryBatchAsync(r.CollectionName, requests, call.Token).ConfigureAwait(false);
        var response = new P.DiscoverBatchResponse();
        AddBatches(response.Result, results, requests);
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.SearchGroupsResponse> SearchGroups(P.SearchPointGroups r, ServerCallContext context)
    {
        var request = GrpcLegacyQueryMapper.SearchGroups(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var groups = await call.Db.QueryGroupsAsync(r.CollectionName, request, call.Token).ConfigureAwait(false);
        return new P.SearchGroupsResponse { Result = Groups(groups, request), Time = call.Seconds };
    }

    private static void AddBatches(Google.Protobuf.Collections.RepeatedField<P.BatchResult> into, IReadOnlyList<IReadOnlyList<Grape.Core.Points.ScoredPoint>> results, List<QueryRequest> requests)
    {
        for (int i = 0; i < results.Count; i++)
        {
            var batch = new P.BatchResult();
            foreach (var p in results[i]) batch.Result.Add(GrpcPointsMapper.Scored(p, requests[i].WithPayload));
            into.Add(batch);
        }
    }
}
#pragma warning restore CS0672
