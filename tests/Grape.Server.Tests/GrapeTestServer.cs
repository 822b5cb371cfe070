using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grape.Server.Tests;

/// <summary>The real server pipeline in process (TestServer instead of Kestrel) over its own temp storage folder.</summary>
internal sealed class GrapeTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrapeTestServer(WebApplication app, string folder, HttpClient client)
    {
        _app = app;
        Folder = folder;
        Client = client;
    }

    public string Folder { get; }
    public IServiceProvider Services => _app.Services;
    public HttpClient Client { get; }

    public static async Task<GrapeTestServer> StartAsync(Func<ServerSettings, ServerSettings>? configure = null)
    {
        string folder = Path.Combine(Path.GetTempPath(), "grape-server-" + Guid.NewGuid().ToString("N"));
        var settings = new ServerSettings { StoragePath = folder, CloseTimeout = TimeSpan.FromSeconds(10) };
        if (configure is not null) settings = configure(settings);
        var app = GrapeServer.Build(settings, b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.ClearProviders(); // tests read statuses and bodies, not logs
        });
        await app.StartAsync();
        await app.Services.GetRequiredService<DatabaseHost>().WhenOpen.WaitAsync(TimeSpan.FromSeconds(30));
        return new GrapeTestServer(app, folder, app.GetTestClient());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    public Task<Reply> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);
    public Task<Reply> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);
    public Task<Reply> PutAsync(string path, string json) => SendAsync(HttpMethod.Put, path, json);
    public Task<Reply> PatchAsync(string path, string json) => SendAsync(HttpMethod.Patch, path, json);
    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json, Action<HttpRequestMessage>? customize = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        customize?.Invoke(request);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken);
        string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Reply(response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Creates a collection with one unnamed vector and checks the 200.</summary>
    public async Task CreateCollectionAsync(string name, int size = 4, string distance = "Dot")
    {
        var r = await PutAsync($"/collections/{name}", $$$"""{"vectors":{"size":{{{size}}},"distance":"{{{distance}}}"}}""");
        r.AssertOk();
    }

    public async Task<long> CountAsync(string collection)
    {
        var r = await PostAsync($"/collections/{collection}/points/count", """{"exact":true}""");
        r.AssertOk();
        return r.Result!["count"]!.GetValue<long>();
    }
}

/// <summary>A response: status, raw body, and the parsed envelope when the body is JSON.</summary>
internal sealed record Reply(HttpStatusCode Status, string Body, string? MediaType)
{
    public JsonNode? Json => MediaType == "application/json" && Body.Length > 0 ? JsonNode.Parse(Body) : null;
    public JsonNode? Result => Json?["result"];
    public string? Error => Json?["status"] is JsonObject s ? s["error"]?.GetValue<string>() : null;

    public Reply AssertOk()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Body}");
        Assert.Equal("ok", Json!["status"]!.GetValue<string>());
        Assert.True(Json!["time"]!.GetValue<double>() >= 0);
        return this;
    }

    /// <summary>Asserts a Qdrant error body with this status whose message contains <paramref name="fragment"/>.</summary>
    public Reply AssertError(HttpStatusCode status, string fragment)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Body}");
        Assert.NotNull(Error);
        Assert.Contains(fragment, Error, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(Body).RootElement.GetProperty("time").ValueKind);
        return this;
    }
}
