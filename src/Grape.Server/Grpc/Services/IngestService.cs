using Grape.Server.Grpc.Hosting;
using Grape.Server.Grpc.Ingest;
using Grape.Server.Grpc.Mapping;
using Grape.Server.Hosting;
using Grpc.Core;

namespace Grape.Server.Grpc.Services;

/// <summary>
/// <c>grape.Ingest/Upsert</c>: bulk upsert over one bidirectional stream. Batches are applied strictly one at a time
/// in arrival order and each is acknowledged before the next is read, so a fast client is held back by HTTP/2 flow
/// control (the server's receive window fills) instead of by server-side buffering. The first failing batch ends
/// the call with its status; acknowledged batches stay applied.
/// </summary>
internal sealed class IngestService(DatabaseHost host) : Ingest.Ingest.IngestBase
{
    public override async Task Upsert(IAsyncStreamReader<IngestBatch> requestStream, IServerStreamWriter<IngestAck> responseStream, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context);
        ulong sequence = 0;
        while (await requestStream.MoveNext(call.Token).ConfigureAwait(false))
        {
            var batch = requestStream.Current;
            if (batch.CollectionName.Length == 0) throw GrpcInput.Invalid($"batch {sequence}: collection_name is required");
            var points = GrpcPointsMapper.Points(batch.Points);
            var write = new Grape.Core.Embedded.WriteOptions(batch.Wait);
            // The engine call is not given the call's token: once a batch has started it is applied whole, so a
            // client that cancels mid-stream leaves exactly the batches it was (or was about to be) acknowledged for.
            var result = await call.Db.UpsertAsync(batch.CollectionName, points, write, CancellationToken.None).ConfigureAwait(false);
            await responseStream.WriteAsync(new IngestAck
            {
                Sequence = sequence++,
                OperationId = result.OperationId,
                Points = (ulong)points.Count,
                Status = result.Status == Grape.Core.Embedded.UpdateStatus.Completed ? Qdrant.Client.Grpc.UpdateStatus.Completed : Qdrant.Client.Grpc.UpdateStatus.Acknowledged,
            }, call.Token).ConfigureAwait(false);
        }
    }
}
