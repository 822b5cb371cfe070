using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Server.Grpc.Hosting;
using Grape.Server.Grpc.Mapping;
using Grape.Server.Hosting;
using Grape.Server.Rest.Mapping;
using Grpc.Core;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Services;

/// <summary>
/// <c>qdrant.Points</c>: writes, reads, search, scroll, count, payload indexes, facet, the universal Query (batch,
/// groups), the legacy recommend/discover/search-groups RPCs (<c>PointsService.Legacy.cs</c>) and the distance matrix,
/// mapped onto the same Core requests as REST. Not overridden, so UNIMPLEMENTED: CreateVectorName, DeleteVectorName
/// (the engine cannot add or drop a vector name of an existing collection).
/// </summary>
internal sealed partial class PointsService(DatabaseHost host) : P.Points.PointsBase
{
    public override Task<P.PointsOperationResponse> Upsert(P.UpsertPoints r, ServerCallContext context)
    {
        if (r.ShardKeySelector is not null) throw Errors.RequestException.NotSupported("`shard_key`");
        var op = GrpcPointsMapper.Upsert(r.Points, r.UpdateFilter, r.HasUpdateMode, r.UpdateMode);
        return WriteAsync(r.CollectionName, op, GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), r.HasTimeout, r.Timeout, context);
    }

    public override Task<P.PointsOperationResponse> Delete(P.DeletePoints r, ServerCallContext context) =>
        WriteAsync(r.CollectionName, new UpdateOperation.Delete(GrpcPointsMapper.Selector(r.Points)), GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), r.HasTimeout, r.Timeout, context);

    public override Task<P.PointsOperationResponse> UpdateVectors(P.UpdatePointVectors r, ServerCallContext context) =>
        WriteAsync(r.CollectionName, GrpcPointsMapper.UpdateVectors(r.Points, r.UpdateFilter), GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), r.HasTimeout, r.Timeout, context);

    public override Task<P.PointsOperationResponse> DeleteVectors(P.DeletePointVectors r, ServerCallContext context) =>
        WriteAsync(r.CollectionName, GrpcPointsMapper.DeleteVectors(r.PointsSelector, r.Vectors), GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), r.HasTimeout, r.Timeout, context);

    public override Task<P.PointsOperationResponse> SetPayload(P.SetPayloadPoints r, ServerCallContext context) =>
        WriteAsync(r.CollectionName, GrpcPointsMapper.PayloadWrite(r.Payload, r.PointsSelector, r.HasKey ? r.Key : null, overwrite: false), GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), r.HasTimeout, r.Timeout, context);

    public override Task<P.PointsOperationResponse> OverwritePayload(P.SetPayloadPoints r, ServerCallContext context) =>
        WriteAsync(r.CollectionName, GrpcPointsMapper.PayloadWrite(r.Payload, r.PointsSelector, r.HasKey ? r.Key : null, overwrite: true), GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), r.HasTimeout, r.Timeout, context);

    public override Task<P.PointsOperationResponse> DeletePayload(P.DeletePayloadPoints r, ServerCallContext context) =>
        WriteAsync(r.CollectionName, new UpdateOperation.DeletePayload(r.Keys.ToList(), GrpcPointsMapper.RequiredSelector(r.PointsSelector)), GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), r.HasTimeout, r.Timeout, context);

    public override Task<P.PointsOperationResponse> ClearPayload(P.ClearPayloadPoints r, ServerCallContext context) =>
        WriteAsync(r.CollectionName, new UpdateOperation.ClearPayload(GrpcPointsMapper.Selector(r.Points)), GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), r.HasTimeout, r.Timeout, context);

    public override async Task<P.PointsOperationResponse> CreateFieldIndex(P.CreateFieldIndexCollection r, ServerCallContext context)
    {
        var schema = GrpcIndexMapper.Schema(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var result = await call.Db.CreateFieldIndexAsync(r.CollectionName, r.FieldName, schema, GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), call.Token).ConfigureAwait(false);
        return new P.PointsOperationResponse { Result = GrpcPointsMapper.Update(result), Time = call.Seconds };
    }

    public override async Task<P.PointsOperationResponse> DeleteFieldIndex(P.DeleteFieldIndexCollection r, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var result = await call.Db.DeleteFieldIndexAsync(r.CollectionName, r.FieldName, GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), call.Token).ConfigureAwait(false);
        return new P.PointsOperationResponse { Result = GrpcPointsMapper.Update(result), Time = call.Seconds };
    }

    public override async Task<P.FacetResponse> Facet(P.FacetCounts r, ServerCallContext context)
    {
        var request = GrpcIndexMapper.Facet(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var facet = await call.Db.FacetAsync(r.CollectionName, request, call.Token).ConfigureAwait(false);
        var response = new P.FacetResponse();
        foreach (var h in facet.Hits) response.Hits.Add(GrpcIndexMapper.Hit(h));
        response.Time = call.Seconds;
        return response;
    }

    private async Task<P.PointsOperationResponse> WriteAsync(string collection, UpdateOperation op, Grape.Core.Embedded.WriteOptions write, bool hasTimeout, ulong timeout, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context, hasTimeout, timeout);
        var result = await call.Db.UpdateAsync(collection, op, write, call.Token).ConfigureAwait(false);
        return new P.PointsOperationResponse { Result = GrpcPointsMapper.Update(result), Time = call.Seconds };
    }

    public override async Task<P.UpdateBatchResponse> UpdateBatch(P.UpdateBatchPoints r, ServerCallContext context)
    {
        var ops = GrpcPointsMapper.Batch(r.Operations);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var results = await call.Db.BatchUpdateAsync(r.CollectionName, ops, GrpcPointsMapper.Write(r.HasWait, r.Wait, r.Ordering), call.Token).ConfigureAwait(false);
        var response = new P.UpdateBatchResponse();
        foreach (var res in results) response.Result.Add(GrpcPointsMapper.Update(res));
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.GetResponse> Get(P.GetPoints r, ServerCallContext context)
    {
        var ids = GrpcPointsMapper.Ids(r.Ids);
        var payload = GrpcPointsMapper.WithPayload(r.WithPayload, PayloadSelector.All);
        var vectors = GrpcPointsMapper.WithVectors(r.WithVectors);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var records = await call.Db.GetAsync(r.CollectionName, ids, payload, vectors, call.Token).ConfigureAwait(false);
        var response = new P.GetResponse();
        foreach (var rec in records) response.Result.Add(GrpcPointsMapper.Retrieved(rec, payload));
        response.Time = call.Seconds;
        return response;
    }

#pragma warning disable CS0672 // Qdrant marks Search/SearchBatch deprecated in favour of Query, but its clients still call them
    public override async Task<P.SearchResponse> Search(P.SearchPoints r, ServerCallContext context)
    {
        var search = GrpcSearchMapper.Search(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var points = await call.Db.SearchAsync(r.CollectionName, search, call.Token).ConfigureAwait(false);
        var response = new P.SearchResponse();
        foreach (var p in points) response.Result.Add(GrpcPointsMapper.Scored(p, search.WithPayload));
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.SearchBatchResponse> SearchBatch(P.SearchBatchPoints r, ServerCallContext context)
    {
        var searches = r.SearchPoints.Select(GrpcSearchMapper.Search).ToList();
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var results = await call.Db.SearchBatchAsync(r.CollectionName, searches, call.Token).ConfigureAwait(false);
        var response = new P.SearchBatchResponse();
        for (int i = 0; i < results.Count; i++)
        {
            var batch = new P.BatchResult();
            foreach (var p in results[i]) batch.Result.Add(GrpcPointsMapper.Scored(p, searches[i].WithPayload));
            response.Result.Add(batch);
        }
        response.Time = call.Seconds;
        return response;
    }

#pragma warning restore CS0672

    public override async Task<P.ScrollResponse> Scroll(P.ScrollPoints r, ServerCallContext context)
    {
        var scroll = GrpcSearchMapper.Scroll(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var page = await call.Db.ScrollAsync(r.CollectionName, scroll, call.Token).ConfigureAwait(false);
        var response = new P.ScrollResponse();
        foreach (var rec in page.Points) response.Result.Add(GrpcPointsMapper.Retrieved(rec, scroll.WithPayload));
        if (page.NextPageOffset is { } next) response.NextPageOffset = GrpcPointsMapper.ToProto(next);
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.CountResponse> Count(P.CountPoints r, ServerCallContext context)
    {
        var count = GrpcSearchMapper.Count(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        long n = await call.Db.CountAsync(r.CollectionName, count, call.Token).ConfigureAwait(false);
        return new P.CountResponse { Result = new P.CountResult { Count = (ulong)n }, Time = call.Seconds };
    }

    public override async Task<P.QueryResponse> Query(P.QueryPoints r, ServerCallContext context)
    {
        var request = GrpcQueryMapper.Query(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var points = await call.Db.QueryAsync(r.CollectionName, request, null, call.Token).ConfigureAwait(false);
        var response = new P.QueryResponse();
        foreach (var p in points) response.Result.Add(GrpcPointsMapper.Scored(p, request.WithPayload));
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.QueryBatchResponse> QueryBatch(P.QueryBatchPoints r, ServerCallContext context)
    {
        var requests = r.QueryPoints.Select(GrpcQueryMapper.Query).ToList();
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var results = await call.Db.QueryBatchAsync(r.CollectionName, requests, call.Token).ConfigureAwait(false);
        var response = new P.QueryBatchResponse();
        for (int i = 0; i < results.Count; i++)
        {
            var batch = new P.BatchResult();
            foreach (var p in results[i]) batch.Result.Add(GrpcPointsMapper.Scored(p, requests[i].WithPayload));
            response.Result.Add(batch);
        }
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.QueryGroupsResponse> QueryGroups(P.QueryPointGroups r, ServerCallContext context)
    {
        var request = GrpcQueryMapper.Groups(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var groups = await call.Db.QueryGroupsAsync(r.CollectionName, request, call.Token).ConfigureAwait(false);
        return new P.QueryGroupsResponse { Result = Groups(groups, request), Time = call.Seconds };
    }

    public override async Task<P.SearchMatrixPairsResponse> SearchMatrixPairs(P.SearchMatrixPoints r, ServerCallContext context)
    {
        var request = GrpcQueryMapper.Matrix(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var m = await call.Db.SearchMatrixAsync(r.CollectionName, request, call.Token).ConfigureAwait(false);
        var pairs = new P.SearchMatrixPairs();
        for (int i = 0; i < m.Ids.Count; i++)
            foreach (var n in m.Rows[i]) pairs.Pairs.Add(new P.SearchMatrixPair { A = GrpcPointsMapper.ToProto(m.Ids[i]), B = GrpcPointsMapper.ToProto(n.Id), Score = n.Score });
        return new P.SearchMatrixPairsResponse { Result = pairs, Time = call.Seconds };
    }

    public override async Task<P.SearchMatrixOffsetsResponse> SearchMatrixOffsets(P.SearchMatrixPoints r, ServerCallContext context)
    {
        var request = GrpcQueryMapper.Matrix(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var m = await call.Db.SearchMatrixAsync(r.CollectionName, request, call.Token).ConfigureAwait(false);
        var offsets = new P.SearchMatrixOffsets();
        var offsetOf = new Dictionary<PointId, ulong>();
        for (int i = 0; i < m.Ids.Count; i++) { offsetOf[m.Ids[i]] = (ulong)i; offsets.Ids.Add(GrpcPointsMapper.ToProto(m.Ids[i])); }
        for (int i = 0; i < m.Ids.Count; i++)
        {
            foreach (var n in m.Rows[i])
            {
                offsets.OffsetsRow.Add((ulong)i);
                offsets.OffsetsCol.Add(offsetOf[n.Id]);
                offsets.Scores.Add(n.Score);
            }
        }
        return new P.SearchMatrixOffsetsResponse { Result = offsets, Time = call.Seconds };
    }

    private static P.GroupsResult Groups(IReadOnlyList<Grape.Core.Query.PointGroup> groups, Grape.Core.Query.QueryGroupsRequest request)
    {
        var result = new P.GroupsResult();
        foreach (var g in groups)
        {
            var group = new P.PointGroup { Id = g.Id.IsString ? new P.GroupId { StringValue = g.Id.String } : new P.GroupId { IntegerValue = g.Id.Number } };
            foreach (var h in g.Hits) group.Hits.Add(GrpcPointsMapper.Scored(h, request.Query.WithPayload));
            if (g.Lookup is { } rec) group.Lookup = GrpcPointsMapper.Retrieved(rec, request.WithLookup?.WithPayload ?? PayloadSelector.All);
            result.Groups.Add(group);
        }
        return result;
    }
}
