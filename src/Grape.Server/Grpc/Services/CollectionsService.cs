using Grape.Server.Grpc.Hosting;
using Grape.Server.Grpc.Mapping;
using Grape.Server.Hosting;
using Grpc.Core;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Services;

/// <summary>
/// <c>qdrant.Collections</c> over the same engine calls as REST. Cluster and shard-key RPCs are not overridden and
/// answer UNIMPLEMENTED (Grape is single-node).
/// </summary>
internal sealed class CollectionsService(DatabaseHost host) : P.Collections.CollectionsBase
{
    public override async Task<P.GetCollectionInfoResponse> Get(P.GetCollectionInfoRequest request, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context);
        var info = await call.Db.GetCollectionInfoAsync(request.CollectionName, call.Token).ConfigureAwait(false);
        return new P.GetCollectionInfoResponse { Result = GrpcCollectionsMapper.Info(info), Time = call.Seconds };
    }

    public override async Task<P.ListCollectionsResponse> List(P.ListCollectionsRequest request, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context);
        var names = await call.Db.ListCollectionsAsync(call.Token).ConfigureAwait(false);
        var response = new P.ListCollectionsResponse();
        foreach (var n in names) response.Collections.Add(new P.CollectionDescription { Name = n });
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.CollectionOperationResponse> Create(P.CreateCollection request, ServerCallContext context)
    {
        var create = GrpcCollectionsMapper.Create(request);
        using var call = GrpcCall.Start(host, context, request.HasTimeout, request.Timeout);
        bool ok = await call.Db.CreateCollectionAsync(request.CollectionName, create, call.Token).ConfigureAwait(false);
        return new P.CollectionOperationResponse { Result = ok, Time = call.Seconds };
    }

    public override async Task<P.CollectionOperationResponse> Update(P.UpdateCollection request, ServerCallContext context)
    {
        var update = GrpcCollectionsMapper.Update(request);
        using var call = GrpcCall.Start(host, context, request.HasTimeout, request.Timeout);
        bool ok = await call.Db.UpdateCollectionAsync(request.CollectionName, update, call.Token).ConfigureAwait(false);
        return new P.CollectionOperationResponse { Result = ok, Time = call.Seconds };
    }

    public override async Task<P.CollectionOperationResponse> Delete(P.DeleteCollection request, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context, request.HasTimeout, request.Timeout);
        bool ok = await call.Db.DeleteCollectionAsync(request.CollectionName, call.Token).ConfigureAwait(false);
        return new P.CollectionOperationResponse { Result = ok, Time = call.Seconds };
    }

    public override async Task<P.CollectionOperationResponse> UpdateAliases(P.ChangeAliases request, ServerCallContext context)
    {
        var ops = GrpcCollectionsMapper.Aliases(request);
        using var call = GrpcCall.Start(host, context, request.HasTimeout, request.Timeout);
        bool ok = await call.Db.UpdateAliasesAsync(ops, call.Token).ConfigureAwait(false);
        return new P.CollectionOperationResponse { Result = ok, Time = call.Seconds };
    }

    public override Task<P.ListAliasesResponse> ListCollectionAliases(P.ListCollectionAliasesRequest request, ServerCallContext context) =>
        Aliases(request.CollectionName, context);

    public override Task<P.ListAliasesResponse> ListAliases(P.ListAliasesRequest request, ServerCallContext context) => Aliases(null, context);

    private async Task<P.ListAliasesResponse> Aliases(string? collection, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context);
        var aliases = await call.Db.ListAliasesAsync(collection, call.Token).ConfigureAwait(false);
        var response = new P.ListAliasesResponse();
        foreach (var a in aliases) response.Aliases.Add(new P.AliasDescription { AliasName = a.AliasName, CollectionName = a.CollectionName });
        response.Time = call.Seconds;
        return response;
    }

    public override async Task<P.CollectionExistsResponse> CollectionExists(P.CollectionExistsRequest request, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context);
        bool exists = await call.Db.CollectionExistsAsync(request.CollectionName, call.Token).ConfigureAwait(false);
        return new P.CollectionExistsResponse { Result = new P.CollectionExists { Exists = exists }, Time = call.Seconds };
    }
}
