using Grape.Server.Grpc.Ingest;
using Grpc.Core;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

public sealed class GrpcIngestTests
{
    private static IngestBatch Batch(string collection, int index, int size, bool wait = false)
    {
        var b = new IngestBatch { CollectionName = collection, Wait = wait };
        for (int i = 0; i < size; i++)
        {
            ulong id = (ulong)(index * size + i);
            b.Points.Add(Point(id, [id, 1, 0, 0]));
        }
        return b;
    }

    [Fact]
    public async Task PipelinedBatches_AreAckedInOrder_AndAllApplied()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c");
        using var call = new Ingest.IngestClient(s.Channel).Upsert(cancellationToken: Ct);
        const int batches = 20, size = 50;
        // The client streams everything before reading any ack; the server still applies and acks one at a time.
        var writer = Task.Run(async () =>
        {
            for (int i = 0; i < batches; i++) await call.RequestStream.WriteAsync(Batch("c", i, size, wait: i == batches - 1), Ct);
            await call.RequestStream.CompleteAsync();
        }, Ct);
        var acks = new List<IngestAck>();
        await foreach (var ack in call.ResponseStream.ReadAllAsync(Ct)) acks.Add(ack);
        await writer;

        Assert.Equal(Enumerable.Range(0, batches).Select(i => (ulong)i), acks.Select(a => a.Sequence));
        Assert.All(acks, a => Assert.Equal((ulong)size, a.Points));
        for (int i = 1; i < acks.Count; i++) Assert.True(acks[i].OperationId > acks[i - 1].OperationId);
        Assert.Equal(P.UpdateStatus.Completed, acks[^1].Status); // the last batch asked to wait
        Assert.Equal((ulong)(batches * size), await s.CountAsync("c"));
    }

    [Fact]
    public async Task ClientCancellingMidStream_LeavesExactlyTheAcknowledgedBatches()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var call = new Ingest.IngestClient(s.Channel).Upsert(cancellationToken: cts.Token);
        const int size = 25, acked = 3;
        for (int i = 0; i < acked; i++)
        {
            await call.RequestStream.WriteAsync(Batch("c", i, size, wait: true), Ct);
            Assert.True(await call.ResponseStream.MoveNext(Ct));
            Assert.Equal((ulong)i, call.ResponseStream.Current.Sequence);
        }
        cts.Cancel(); // the stream breaks: nothing after the acknowledged batches may appear
        await Assert.ThrowsAnyAsync<Exception>(() => call.RequestStream.WriteAsync(Batch("c", acked, size), Ct));

        Assert.Equal((ulong)(acked * size), await s.CountAsync("c"));
        var scroll = await s.Points.ScrollAsync(new P.ScrollPoints { CollectionName = "c", Limit = 1000 }, cancellationToken: Ct);
        Assert.Equal(Enumerable.Range(0, acked * size).Select(i => (ulong)i), scroll.Result.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task FailingBatch_EndsTheStreamWithItsStatus_EarlierBatchesStay()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c");
        using var call = new Ingest.IngestClient(s.Channel).Upsert(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(Batch("c", 0, 10, wait: true), Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var wrong = new IngestBatch { CollectionName = "c", Wait = true };
        wrong.Points.Add(Point(500, [1, 2])); // wrong dimension
        await call.RequestStream.WriteAsync(wrong, Ct);
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(10ul, await s.CountAsync("c"));

        using var missing = new Ingest.IngestClient(s.Channel).Upsert(cancellationToken: Ct);
        await missing.RequestStream.WriteAsync(Batch("nope", 0, 1), Ct);
        var nf = await Assert.ThrowsAsync<RpcException>(() => missing.ResponseStream.MoveNext(Ct));
        Assert.Equal(StatusCode.NotFound, nf.StatusCode);
    }

    [Theory]
    [InlineData("unmappable")] // fails while the server maps it (no vectors), possibly while the batch before it applies
    [InlineData("engine")]     // fails in the engine (wrong dimension)
    public async Task BadBatchInTheMiddleOfAStream_OnlyTheBatchesBeforeItAreApplied(string kind)
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c");
        using var call = new Ingest.IngestClient(s.Channel).Upsert(cancellationToken: Ct);
        // Everything is sent without waiting for acks, so the server reads ahead of what it applies.
        for (int i = 0; i < 5; i++) await call.RequestStream.WriteAsync(Batch("c", i, 20), Ct);
        var bad = new IngestBatch { CollectionName = "c" };
        if (kind == "engine") bad.Points.Add(Point(10_000, [1, 2]));
        else bad.Points.Add(new P.PointStruct { Id = new P.PointId { Num = 10_000 } });
        await call.RequestStream.WriteAsync(bad, Ct);
        try
        {
            // The server may end the call on the bad batch before the client has finished writing.
            for (int i = 6; i < 9; i++) await call.RequestStream.WriteAsync(Batch("c", i, 20), Ct);
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException) { }

        var acks = new List<IngestAck>();
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var ack in call.ResponseStream.ReadAllAsync(Ct)) acks.Add(ack);
        });
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal([0ul, 1, 2, 3, 4], acks.Select(a => a.Sequence));
        Assert.Equal(100ul, await s.CountAsync("c")); // batches 0-4; not the bad one, not the three after it
    }
}
