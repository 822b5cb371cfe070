// Search and SearchBatch are deprecated in Qdrant's protos (Query replaces them) but still served and tested.
#pragma warning disable CS0612
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Grape.Server.Grpc.Health;
using Grape.Server.Grpc.Ingest;
using Grape.Server.Hosting;
using Grpc.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

/// <summary>
/// The gRPC limits from configuration, observed on the wire: the server-wide call limit and its queue
/// (grape.grpc.max_concurrent_calls / max_queued_calls), HTTP/2 keep-alive and streams per connection
/// (grape.grpc.keep_alive_*, max_concurrent_streams), the `timeout` field (DEADLINE_EXCEEDED).
/// </summary>
public sealed class GrpcLimitsTests
{
    private static Func<ServerSettings, ServerSettings> Limit(int calls, int queued = 0) =>
        s => s with { Grpc = s.Grpc with { MaxConcurrentCalls = calls, MaxQueuedCalls = queued } };

    /// <summary>An Ingest stream that has had one batch acknowledged: its handler is running and holds a slot.</summary>
    private static async Task<AsyncDuplexStreamingCall<IngestBatch, IngestAck>> HoldSlotAsync(GrpcTestServer s)
    {
        var call = new Ingest.IngestClient(s.Channel).Upsert(cancellationToken: Ct);
        var batch = new IngestBatch { CollectionName = "c", Wait = true };
        batch.Points.Add(Point(1, [1, 0, 0, 0]));
        await call.RequestStream.WriteAsync(batch, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        return call;
    }

    private static async Task ReleaseAsync(AsyncDuplexStreamingCall<IngestBatch, IngestAck> call)
    {
        await call.RequestStream.CompleteAsync();
        while (await call.ResponseStream.MoveNext(Ct)) { }
        call.Dispose();
    }

    private static Task<P.CountResponse> CountCall(GrpcTestServer s) =>
        s.Points.CountAsync(new P.CountPoints { CollectionName = "c", Exact = true }, cancellationToken: Ct).ResponseAsync;

    [Fact]
    public async Task CallOverTheLimit_WithNoQueue_IsResourceExhausted_HealthAndRestStillAnswer()
    {
        await using var s = await StartAsync(Limit(1));
        await s.CreateAsync("c");
        var held = await HoldSlotAsync(s);

        var e = await FailsAsync(StatusCode.ResourceExhausted, () => CountCall(s));
        Assert.Contains("grape.grpc.max_concurrent_calls", e.Status.Detail, StringComparison.Ordinal);
        // Probes are not counted, and REST is not a gRPC call.
        var reply = await new P.Qdrant.QdrantClient(s.Channel).HealthCheckAsync(new P.HealthCheckRequest(), cancellationToken: Ct);
        Assert.False(string.IsNullOrEmpty(reply.Version));
        var health = await new Health.HealthClient(s.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        using var list = await s.Rest.GetAsync(new Uri("/collections", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);

        await ReleaseAsync(held);
        Assert.Equal(1ul, (await CountCall(s)).Result.Count); // the slot is free again
    }

    [Fact]
    public async Task CallsOverTheLimit_WaitInTheQueue_OneMoreIsRefused_TheWaiterRunsWhenTheSlotFrees()
    {
        await using var s = await StartAsync(Limit(1, queued: 1));
        await s.CreateAsync("c");
        var held = await HoldSlotAsync(s);

        // Two calls while the only slot is taken: one waits in the single queue place, the other is refused. Neither
        // can succeed before the stream ends, so the first to finish must be the refused one.
        var a = CountCall(s);
        var b = CountCall(s);
        var first = await Task.WhenAny(a, b).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var e = await Assert.ThrowsAsync<RpcException>(() => first);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        var waiter = first == a ? b : a;
        Assert.False(waiter.IsCompleted);

        await ReleaseAsync(held);
        Assert.Equal(1ul, (await waiter.WaitAsync(TimeSpan.FromSeconds(60), Ct)).Result.Count);
    }

    [Fact]
    public async Task NoLimitConfigured_ManyCallsRunTogether()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c");
        var held = await HoldSlotAsync(s);
        var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => CountCall(s)));
        Assert.All(counts, c => Assert.Equal(1ul, c.Result.Count));
        await ReleaseAsync(held);
    }

    [Fact]
    public async Task KeepAliveAndStreamsPerConnection_AreAppliedToKestrel()
    {
        await using var s = await StartAsync(x => x with { Grpc = x.Grpc with { KeepAliveIntervalSec = 1, KeepAliveTimeoutSec = 7, MaxConcurrentStreams = 17 } });
        var http2 = s.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.Http2;
        Assert.Equal(TimeSpan.FromSeconds(1), http2.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(7), http2.KeepAlivePingTimeout);
        Assert.Equal(17, http2.MaxStreamsPerConnection);

        // On the wire: the server's SETTINGS carry MAX_CONCURRENT_STREAMS = 17, and an idle connection gets a PING.
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, s.GrpcPort, Ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), Ct);
        await stream.WriteAsync(Frame(type: 0x4, flags: 0, []), Ct);               // our (empty) SETTINGS
        uint? maxStreams = null;
        bool pinged = false;
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(60));
        while (!pinged)
        {
            var (type, flags, payload) = await ReadFrameAsync(stream, guard.Token);
            if (type == 0x4 && (flags & 0x1) == 0)
            {
                for (int i = 0; i + 6 <= payload.Length; i += 6)
                    if (BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(i)) == 0x3) maxStreams = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(i + 2));
                await stream.WriteAsync(Frame(type: 0x4, flags: 0x1, []), Ct);      // SETTINGS ack
            }
            else if (type == 0x6 && (flags & 0x1) == 0)
            {
                pinged = true;
                await stream.WriteAsync(Frame(type: 0x6, flags: 0x1, payload), Ct); // PING ack
            }
        }
        Assert.Equal(17u, maxStreams);
    }

    [Fact]
    public async Task KeepAliveIntervalZero_SendsNoPings()
    {
        await using var s = await StartAsync(x => x with { Grpc = x.Grpc with { KeepAliveIntervalSec = 0 } });
        var http2 = s.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.Http2;
        Assert.Equal(TimeSpan.MaxValue, http2.KeepAlivePingDelay);
    }

    [Fact]
    public async Task TimeoutField_OnASearchBatchTooLongForIt_IsDeadlineExceeded_AndTheServerKeepsServing()
    {
        await using var s = await StartAsync();
        const int dim = 128, points = 20_000, searches = 40_000;
        await s.CreateAsync("big", size: dim, distance: P.Distance.Dot);
        var rng = new Random(5);
        float[] Vec() { var v = new float[dim]; for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1); return v; }
        for (int start = 0; start < points; start += 5_000)
            await s.UpsertAsync("big", Enumerable.Range(start, 5_000).Select(i => Point((ulong)i, Vec())).ToArray());

        // 40,000 exact scans of 20,000 × 128 floats (10^11 multiply-adds) cannot finish within the 1 s `timeout`.
        var batch = new P.SearchBatchPoints { CollectionName = "big", Timeout = 1 };
        for (int i = 0; i < searches; i++)
        {
            var search = new P.SearchPoints { CollectionName = "big", Limit = 1 };
            search.Vector.Add(Vec());
            batch.SearchPoints.Add(search);
        }
        var e = await FailsAsync(StatusCode.DeadlineExceeded, async () => await s.Points.SearchBatchAsync(batch, cancellationToken: Ct));
        Assert.Contains("Timeout", e.Status.Detail, StringComparison.Ordinal);

        // The same kind of request without the timeout (and small) still answers.
        var small = new P.SearchBatchPoints { CollectionName = "big", Timeout = 30 };
        small.SearchPoints.Add(batch.SearchPoints[0]);
        Assert.Single((await s.Points.SearchBatchAsync(small, cancellationToken: Ct)).Result);
        Assert.Equal((ulong)points, await s.CountAsync("big"));
    }

    private static byte[] Frame(byte type, byte flags, byte[] payload)
    {
        var f = new byte[9 + payload.Length];
        f[0] = (byte)(payload.Length >> 16); f[1] = (byte)(payload.Length >> 8); f[2] = (byte)payload.Length;
        f[3] = type; f[4] = flags; // stream 0
        payload.CopyTo(f, 9);
        return f;
    }

    private static async Task<(byte Type, byte Flags, byte[] Payload)> ReadFrameAsync(NetworkStream stream, CancellationToken ct)
    {
        var header = new byte[9];
        await stream.ReadExactlyAsync(header, ct);
        int length = header[0] << 16 | header[1] << 8 | header[2];
        var payload = new byte[length];
        await stream.ReadExactlyAsync(payload, ct);
        return (header[3], header[4], payload);
    }
}
