using System.Net;

namespace Grape.Server.Tests.Auth;

public sealed class ApiKeyTests
{
    private static Task<GrapeTestServer> Start() =>
        GrapeTestServer.StartAsync(s => s with { ApiKey = "full-secret", ReadOnlyApiKey = "ro-secret" });

    private static Action<HttpRequestMessage> Key(string key) => m => m.Headers.Add("api-key", key);
    private static Action<HttpRequestMessage> Bearer(string key) => m => m.Headers.Authorization = new("Bearer", key);

    [Fact]
    public async Task Without_a_key_protected_routes_are_401_in_plain_text()
    {
        await using var s = await Start();
        var r = await s.GetAsync("/collections");
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal("Must provide an API key or an Authorization bearer token", r.Body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.GetAsync("/metrics")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await s.GetAsync("/telemetry")).Status);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task Probes_and_root_stay_open(string path)
    {
        await using var s = await Start();
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync(path)).Status);
    }

    [Fact]
    public async Task A_wrong_key_is_401()
    {
        await using var s = await Start();
        var r = await s.SendAsync(HttpMethod.Get, "/collections", null, Key("full-secreT"));
        Assert.Equal(HttpStatusCode.Unauthorized, r.Status);
        Assert.Equal("Invalid API key or JWT", r.Body);
    }

    [Fact]
    public async Task The_full_key_works_in_the_header_and_as_bearer()
    {
        await using var s = await Start();
        (await s.SendAsync(HttpMethod.Get, "/collections", null, Key("full-secret"))).AssertOk();
        (await s.SendAsync(HttpMethod.Get, "/collections", null, Bearer("full-secret"))).AssertOk();
        // A write with the full key gets through auth (DELETE of a missing collection is Qdrant's 200 false).
        var r = (await s.SendAsync(HttpMethod.Delete, "/collections/nothing", null, Key("full-secret"))).AssertOk();
        Assert.False(r.Result!.GetValue<bool>());
    }

    [Fact]
    public async Task The_read_only_key_reads_but_gets_403_on_writes()
    {
        await using var s = await Start();
        (await s.SendAsync(HttpMethod.Get, "/collections", null, Key("ro-secret"))).AssertOk();
        (await s.SendAsync(HttpMethod.Get, "/metrics", null, Bearer("ro-secret"))).Status.Equals(HttpStatusCode.OK);
        var r = await s.SendAsync(HttpMethod.Put, "/collections/c", """{"vectors":{"size":2,"distance":"Dot"}}""", Key("ro-secret"));
        r.AssertError(HttpStatusCode.Forbidden, "Forbidden: Global manage access is required");
        r = await s.SendAsync(HttpMethod.Delete, "/collections/c", null, Key("ro-secret"));
        r.AssertError(HttpStatusCode.Forbidden, "Forbidden");
        var list = (await s.SendAsync(HttpMethod.Get, "/collections", null, Key("full-secret"))).AssertOk();
        Assert.Empty(list.Result!["collections"]!.AsArray());
    }

    [Fact]
    public async Task Without_configured_keys_everything_is_open()
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.GetAsync("/collections")).AssertOk();
    }
}
