using System.Net;
using System.Net.Sockets;
using Grape.Server.Hosting;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Tests.Grpc;

/// <summary>
/// The real server on Kestrel, REST and gRPC each on a free loopback port (gRPC over HTTP/2 cleartext, as clients
/// reach Qdrant on 6334), with its own temp storage; exposes typed clients compiled from Grape's own protos.
/// </summary>
internal sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, string folder, int httpPort, int grpcPort)
    {
        _app = app;
        Folder = folder;
        GrpcPort = grpcPort;
        Rest = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        Points = new P.Points.PointsClient(Channel);
        Collections = new P.Collections.CollectionsClient(Channel);
    }

    public string Folder { get; }
    public IServiceProvider Services => _app.Services;
    public int GrpcPort { get; }
    public HttpClient Rest { get; }
    public GrpcChannel Channel { get; }
    public P.Points.PointsClient Points { get; }
    public P.Collections.CollectionsClient Collections { get; }

    public static async Task<GrpcTestServer> StartAsync(Func<ServerSettings, ServerSettings>? configure = null)
    {
        string folder = Path.Combine(Path.GetTempPath(), "grape-grpc-" + Guid.NewGuid().ToString("N"));
        int httpPort = FreePort(), grpcPort = FreePort();
        var settings = new ServerSettings { Host = "127.0.0.1", HttpPort = httpPort, GrpcPort = grpcPort, StoragePath = folder, CloseTimeout = TimeSpan.FromSeconds(10) };
        if (configure is not null) settings = configure(settings);
        var app = GrapeServer.Build(settings, b => b.Logging.ClearProviders());
        await app.StartAsync();
        await app.Services.GetRequiredService<DatabaseHost>().WhenOpen.WaitAsync(TimeSpan.FromSeconds(30));
        return new GrpcTestServer(app, folder, httpPort, grpcPort);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A collection with one unnamed vector.</summary>
    public async Task CreateAsync(string name, ulong size = 4, P.Distance distance = P.Distance.Dot)
    {
        var r = await Collections.CreateAsync(new P.CreateCollection
        {
            CollectionName = name,
            VectorsConfig = new P.VectorsConfig { Params = new P.VectorParams { Size = size, Distance = distance } },
        }, cancellationToken: Ct);
        Assert.True(r.Result);
    }

    public static P.PointStruct Point(ulong id, float[] vector, params (string Key, P.Value Value)[] payload)
    {
        var p = new P.PointStruct { Id = new P.PointId { Num = id }, Vectors = new P.Vectors { Vector = new P.Vector { Dense = new P.DenseVector() } } };
        p.Vectors.Vector.Dense.Data.Add(vector);
        foreach (var (k, v) in payload) p.Payload[k] = v;
        return p;
    }

    public async Task UpsertAsync(string collection, params P.PointStruct[] points)
    {
        var r = new P.UpsertPoints { CollectionName = collection, Wait = true };
        r.Points.Add(points);
        var response = await Points.UpsertAsync(r, cancellationToken: Ct);
        Assert.Equal(P.UpdateStatus.Completed, response.Result.Status);
    }

    public async Task<ulong> CountAsync(string collection) =>
        (await Points.CountAsync(new P.CountPoints { CollectionName = collection, Exact = true }, cancellationToken: Ct)).Result.Count;

    public static async Task<RpcException> FailsAsync(StatusCode expected, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(expected, e.StatusCode);
        return e;
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Rest.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
