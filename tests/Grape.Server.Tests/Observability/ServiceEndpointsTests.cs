using System.Net;
using System.Text.Json.Nodes;

namespace Grape.Server.Tests.Observability;

public sealed class ServiceEndpointsTests
{
    [Fact]
    public async Task Root_is_bare_version_info_without_envelope()
    {
        await using var s = await GrapeTestServer.StartAsync();
        var r = await s.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.NotNull(r.Json!["title"]);
        Assert.NotNull(r.Json!["version"]);
        Assert.Null(r.Json!["status"]);
    }

    [Theory]
    [InlineData("/healthz", "healthz check passed")]
    [InlineData("/livez", "healthz check passed")]
    [InlineData("/readyz", "all shards are ready")]
    public async Task Probes_answer_plain_text(string path, string text)
    {
        await using var s = await GrapeTestServer.StartAsync();
        var r = await s.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("text/plain", r.MediaType);
        Assert.Equal(text, r.Body);
    }

    [Fact]
    public async Task Unknown_route_is_404_like_qdrant()
    {
        await using var s = await GrapeTestServer.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync("/no/such/route")).Status);
        // Features the engine lacks have no route: answered as unknown, never a fake success.
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync("/collections/c/snapshots")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.PostAsync("/collections/c/snapshots/upload", "{}")).Status);
    }

    [Fact]
    public async Task Metrics_count_real_responses_by_route_and_status()
    {
        await using var s = await GrapeTestServer.StartAsync();
        await s.GetAsync("/collections");
        await s.GetAsync("/collections");
        await s.GetAsync("/collections/missing_one");
        var r = await s.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Contains("app_info{name=\"grape\"", r.Body, StringComparison.Ordinal);
        Assert.Contains("collections_total 0", r.Body, StringComparison.Ordinal);
        Assert.Contains("rest_responses_total{method=\"GET\",endpoint=\"/collections\",status=\"200\"} 2", r.Body, StringComparison.Ordinal);
        Assert.Contains("rest_responses_fail_total{method=\"GET\",endpoint=\"/collections/{collection_name}\",status=\"404\"} 1", r.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Telemetry_reports_collections_and_responses()
    {
        await using var s = await GrapeTestServer.StartAsync();
        await s.GetAsync("/collections");
        var r = (await s.GetAsync("/telemetry")).AssertOk();
        Assert.Equal("grape", r.Result!["app"]!["name"]!.GetValue<string>());
        Assert.Equal(0, r.Result!["collections"]!["number_of_collections"]!.GetValue<int>());
        Assert.Equal(1, r.Result!["requests"]!["rest"]!["responses"]!["GET /collections"]!["200"]!["count"]!.GetValue<long>());
    }

    [Fact]
    public async Task Issues_is_an_empty_list_in_the_envelope()
    {
        await using var s = await GrapeTestServer.StartAsync();
        var r = (await s.GetAsync("/issues")).AssertOk();
        Assert.Empty(r.Result!["issues"]!.AsArray());
    }

    [Fact]
    public async Task Openapi_lists_every_mapped_operation_and_nothing_else()
    {
        await using var s = await GrapeTestServer.StartAsync();
        var r = await s.GetAsync("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        var doc = JsonNode.Parse(r.Body)!;
        var paths = doc["paths"]!.AsObject();
        Assert.Equal("upsert_points", paths["/collections/{collection_name}/points"]!["put"]!["operationId"]!.GetValue<string>());
        Assert.Equal("get_points", paths["/collections/{collection_name}/points"]!["post"]!["operationId"]!.GetValue<string>());
        Assert.NotNull(paths["/collections/{collection_name}/points/query"]!["post"]);
        Assert.NotNull(paths["/collections/{collection_name}/points/search/matrix/pairs"]!["post"]);
        Assert.NotNull(paths["/collections/aliases"]!["post"]);
        Assert.Null(paths["/collections/{collection_name}/snapshots"]);
        Assert.Equal("create_field_index", paths["/collections/{collection_name}/index"]!["put"]!["operationId"]!.GetValue<string>());
        Assert.Equal("delete_field_index", paths["/collections/{collection_name}/index/{field_name}"]!["delete"]!["operationId"]!.GetValue<string>());
        Assert.Equal("facet", paths["/collections/{collection_name}/facet"]!["post"]!["operationId"]!.GetValue<string>());
        int operations = paths.Sum(p => p.Value!.AsObject().Count);
        Assert.Equal(47, operations);
    }
}
