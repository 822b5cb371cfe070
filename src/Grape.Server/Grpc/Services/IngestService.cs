using System.Threading.Channels;
using Grape.Core.Points;
using Grape.Server.Grpc.Hosting;
using Grape.Server.Grpc.Ingest;
using Grape.Server.Grpc.Mapping;
using Grape.Server.Hosting;
using Grpc.Core;

namespace Grape.Server.Grpc.Services;

/// <summary>
/// <c>grape.Ingest/Upsert</c>: bulk upsert over one bidirectional stream, as a two-stage pipeline: one stage reads
/// and maps the next batch (protobuf decoding, proto-to-engine conversion) while the other applies the current one
/// and sends its acknowledgement. Batches are applied strictly in arrival order, one at a time. At most
/// <see cref="MappedAhead"/> mapped batches wait between the stages, so a fast client is held back by HTTP/2 flow
/// control (the server's receive window fills) instead of by server-side buffering. The first failing batch ends
/// the call with its status; acknowledged batches stay applied, later ones are not applied.
/// </summary>
internal sealed class IngestService(DatabaseHost host) : Ingest.Ingest.IngestBase
{
    /// <summary>Mapped batches allowed to wait for the applier: one keeps both stages busy.</summary>
    private const int MappedAhead = 1;

    /// <summary>A mapped batch, or the error that ended reading (delivered in order, after every earlier batch).</summary>
    private readonly record struct Mapped(string Collection, List<PointStruct>? Points, bool Wait, Exception? Error);

    public override async Task Upsert(IAsyncStreamReader<IngestBatch> requestStream, IServerStreamWriter<IngestAck> responseStream, ServerCallContext context)
    {
        using var call = GrpcCall.Start(host, context);
        var queue = Channel.CreateBounded<Mapped>(new BoundedChannelOptions(MappedAhead) { SingleReader = true, SingleWriter = true });
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(call.Token);
        var reader = ReadAsync(requestStream, queue.Writer, stopReading.Token);
        try
        {
            ulong sequence = 0;
            await foreach (var batch in queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (batch.Error is not null) throw batch.Error;
                // The engine call is not given the call's token: once a batch has started it is applied whole, so a
                // client that cancels mid-stream leaves exactly the batches it was (or was about to be) acknowledged for.
                var result = await call.Db.UpsertAsync(batch.Collection, batch.Points!, new Grape.Core.Embedded.WriteOptions(batch.Wait), CancellationToken.None).ConfigureAwait(false);
                await responseStream.WriteAsync(new IngestAck
                {
                    Sequence = sequence++,
                    OperationId = result.OperationId,
                    Points = (ulong)batch.Points!.Count,
                    Status = result.Status == Grape.Core.Embedded.UpdateStatus.Completed ? Qdrant.Client.Grpc.UpdateStatus.Completed : Qdrant.Client.Grpc.UpdateStatus.Acknowledged,
                }, call.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            // On any failure stop the reader (it may be waiting for queue room or for the client) before returning.
            stopReading.Cancel();
            try { await reader.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    private static async Task ReadAsync(IAsyncStreamReader<IngestBatch> requestStream, ChannelWriter<Mapped> queue, CancellationToken ct)
    {
        ulong sequence = 0;
        try
        {
            while (await requestStream.MoveNext(ct).ConfigureAwait(false))
            {
                var batch = requestStream.Current;
                Mapped mapped;
                try
                {
                    if (batch.CollectionName.Length == 0) throw GrpcInput.Invalid($"batch {sequence}: collection_name is required");
                    mapped = new Mapped(batch.CollectionName, GrpcPointsMapper.Points(batch.Points), batch.Wait, null);
                }
                catch (Exception e)
                {
                    await queue.WriteAsync(new Mapped("", null, false, e), ct).ConfigureAwait(false);
                    return;
                }
                await queue.WriteAsync(mapped, ct).ConfigureAwait(false);
                sequence++;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A broken client stream surfaces to the applier after the batches read before it.
            await queue.WriteAsync(new Mapped("", null, false, e), ct).ConfigureAwait(false);
        }
        finally
        {
            queue.TryComplete();
        }
    }
}
