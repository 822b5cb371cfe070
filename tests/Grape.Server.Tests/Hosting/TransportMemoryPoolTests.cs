using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Grape.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grape.Server.Tests.Hosting;

public sealed class TransportMemoryPoolTests
{
    [Fact]
    public void Blocks_are_large_and_reused_once_returned()
    {
        using var pool = new TransportMemoryPool();
        Assert.Equal(TransportMemoryPool.BlockSize, pool.MaxBufferSize);
        var a = pool.Rent(100);
        var b = pool.Rent();
        Assert.Equal(TransportMemoryPool.BlockSize, a.Memory.Length);
        Assert.Equal(TransportMemoryPool.BlockSize, b.Memory.Length);
        b.Memory.Span.Clear();
        a.Memory.Span.Fill(7);
        Assert.Equal(-1, b.Memory.Span.IndexOfAnyExcept((byte)0)); // distinct blocks
        a.Dispose();
        a.Dispose(); // a second Dispose must not put the block in the pool twice
        var c = pool.Rent(TransportMemoryPool.BlockSize);
        var d = pool.Rent();
        Assert.Equal(-1, c.Memory.Span.IndexOfAnyExcept((byte)7)); // the returned block came back
        d.Memory.Span.Fill(9);
        Assert.Equal(-1, c.Memory.Span.IndexOfAnyExcept((byte)7)); // and only once
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TransportMemoryPool.BlockSize + 1));
        b.Dispose();
        c.Dispose();
        d.Dispose();
    }

    [Fact]
    public void A_disposed_pool_refuses_to_rent_and_drops_returned_blocks()
    {
        var pool = new TransportMemoryPool();
        var a = pool.Rent();
        pool.Dispose();
        a.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    /// <summary>
    /// Over real sockets (Kestrel, not TestServer): connections read into the pool, and a body spread over many
    /// blocks (an upsert of ~1 MB) arrives whole: every point is stored with its exact vector and payload.
    /// </summary>
    [Fact]
    public async Task Kestrel_reads_request_bodies_through_the_pool()
    {
        string folder = Path.Combine(Path.GetTempPath(), "grape-pool-" + Guid.NewGuid().ToString("N"));
        int port = FreePort();
        var settings = new ServerSettings { Host = "127.0.0.1", HttpPort = port, GrpcPort = null, StoragePath = folder, CloseTimeout = TimeSpan.FromSeconds(10) };
        var pools = new List<string>();
        var app = GrapeServer.Build(settings, b =>
        {
            b.Logging.ClearProviders();
            b.Services.AddSingleton<IStartupFilter>(new PoolProbe(pools));
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await app.Services.GetRequiredService<DatabaseHost>().WhenOpen.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.IsType<TransportMemoryPoolFactory>(app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var ct = TestContext.Current.CancellationToken;
            using (var r = await http.PutAsync("/collections/c", Json("""{"vectors":{"size":48,"distance":"Dot"}}"""), ct)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);

            const int Points = 2000;
            var rng = new Random(5);
            var vectors = new float[Points][];
            var body = new StringBuilder("{\"points\":[");
            for (int p = 0; p < Points; p++)
            {
                if (p > 0) body.Append(',');
                vectors[p] = new float[48];
                for (int k = 0; k < 48; k++) vectors[p][k] = rng.NextSingle() * 2 - 1;
                body.Append(CultureInfo.InvariantCulture, $"{{\"id\":{p},\"vector\":[{string.Join(",", vectors[p].Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}],\"payload\":{{\"p\":{p}}}}}");
            }
            body.Append("]}");
            Assert.True(body.Length > 10 * TransportMemoryPool.BlockSize);
            using (var r = await http.PutAsync("/collections/c/points?wait=true", Json(body.ToString()), ct)) Assert.Equal(HttpStatusCode.OK, r.StatusCode);

            using (var r = await http.PostAsync("/collections/c/points/count", Json("""{"exact":true}"""), ct))
                Assert.Equal(Points, JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["result"]!["count"]!.GetValue<int>());
            foreach (int id in new[] { 0, 777, Points - 1 })
            {
                using var r = await http.GetAsync($"/collections/c/points/{id}", ct);
                var point = JsonNode.Parse(await r.Content.ReadAsStringAsync(ct))!["result"]!;
                Assert.Equal(id, point["payload"]!["p"]!.GetValue<int>());
                Assert.Equal(vectors[id], point["vector"]!.AsArray().Select(x => x!.GetValue<float>()).ToArray());
            }
            lock (pools) Assert.Contains(nameof(TransportMemoryPool), pools);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Records which memory pool the connection of each request uses.</summary>
    private sealed class PoolProbe(List<string> pools) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextDelegate) =>
            {
                string name = context.Features.Get<IMemoryPoolFeature>()?.MemoryPool.GetType().Name ?? "none";
                lock (pools) pools.Add(name);
                return nextDelegate(context);
            });
            next(app);
        };
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
