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
/// <c>qdrant.Points</c>: writes, reads, search, scroll, count and the nearest-neighbour Query forms, mapped onto
/// the same Core requests as REST. Not overridden, so UNIMPLEMENTED:
/// CreateVectorName, DeleteVectorName, SearchGroups, Recommend*, Discover*, QueryGroups, SearchMatrix*.
/// </summary>
internal sealed class PointsService(DatabaseHost host) : P.Points.PointsBase
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
        var plan = GrpcSearchMapper.Query(r);
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var response = new P.QueryResponse();
        await RunQueryAsync(call, r.CollectionName, plan, response.Result).ConfigureAwait(false);
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.QueryBatchResponse> QueryBatch(P.QueryBatchPoints r, ServerCallContext context)
    {
        var plans = r.QueryPoints.Select(GrpcSearchMapper.Query).ToList();
        using var call = GrpcCall.Start(host, context, r.HasTimeout, r.Timeout);
        var response = new P.QueryBatchResponse();
        foreach (var plan in plans)
        {
            var batch = new P.BatchResult();
            await RunQueryAsync(call, r.CollectionName, plan, batch.Result).ConfigureAwait(false);
            response.Result.Add(batch);
        }
        response.Time = call.Seconds;
        return response;
    }

    // As REST's query endpoint: a point-id query reads that point's vector, then searches without the point itself.
    private static async Task RunQueryAsync(GrpcCall call, string collection, SearchMapper.QueryPlan plan, ICollection<P.ScoredPoint> into)
    {
        var search = plan.Search;
        if (plan.ByPoint is { } id)
        {
            var records = await call.Db.GetAsync(collection, [id], PayloadSelector.None, VectorSelector.Only([search.Using]), call.Token).ConfigureAwait(false);
            if (records.Count == 0) throw new PointNotFoundException(id.ToString());
            if (records[0].Vectors is not { } vectors || !vectors.TryGetValue(search.Using, out var vector))
                throw new WrongInputException($"Point {id} has no vector named `{search.Using}`");
            search = search with { Vector = vector.Dense, Filter = GrpcPointsMapper.ExcludeIds(search.Filter, [id]) };
        }
        var points = await call.Db.SearchAsync(collection, search, call.Token).ConfigureAwait(false);
        foreach (var p in points) into.Add(GrpcPointsMapper.Scored(p, search.WithPayload));
    }
}
