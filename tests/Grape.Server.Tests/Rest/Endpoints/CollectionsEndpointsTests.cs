using System.Net;

namespace Grape.Server.Tests.Rest.Endpoints;

public sealed class CollectionsEndpointsTests
{
    [Fact]
    public async Task Create_info_exists_list_update_delete()
    {
        await using var s = await GrapeTestServer.StartAsync();
        var created = (await s.PutAsync("/collections/books", """{"vectors":{"size":4,"distance":"Cosine"},"hnsw_config":{"m":8}}""")).AssertOk();
        Assert.True(created.Result!.GetValue<bool>());

        var info = (await s.GetAsync("/collections/books")).AssertOk().Result!;
        Assert.Equal("green", info["status"]!.GetValue<string>());
        Assert.Equal(0, info["points_count"]!.GetValue<long>());
        Assert.Equal(4, info["config"]!["params"]!["vectors"]!["size"]!.GetValue<int>());
        Assert.Equal("Cosine", info["config"]!["params"]!["vectors"]!["distance"]!.GetValue<string>());
        Assert.Equal(8, info["config"]!["hnsw_config"]!["m"]!.GetValue<int>());

        Assert.True((await s.GetAsync("/collections/books/exists")).AssertOk().Result!["exists"]!.GetValue<bool>());
        Assert.False((await s.GetAsync("/collections/other/exists")).AssertOk().Result!["exists"]!.GetValue<bool>());
        var list = (await s.GetAsync("/collections")).AssertOk().Result!["collections"]!.AsArray();
        Assert.Equal("books", Assert.Single(list)!["name"]!.GetValue<string>());

        Assert.True((await s.PatchAsync("/collections/books", """{"optimizers_config":{"indexing_threshold":20000}}""")).AssertOk().Result!.GetValue<bool>());
        info = (await s.GetAsync("/collections/books")).AssertOk().Result!;
        Assert.Equal(20000, info["config"]!["optimizer_config"]!["indexing_threshold"]!.GetValue<int>());

        Assert.True((await s.DeleteAsync("/collections/books")).AssertOk().Result!.GetValue<bool>());
        Assert.False((await s.DeleteAsync("/collections/books")).AssertOk().Result!.GetValue<bool>());
        (await s.GetAsync("/collections/books")).AssertError(HttpStatusCode.NotFound, "Not found: Collection `books` doesn't exist!");
    }

    [Fact]
    public async Task Named_vectors_show_as_a_map()
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync("/collections/multi", """{"vectors":{"image":{"size":3,"distance":"Dot"},"text":{"size":2,"distance":"Euclid"}}}""")).AssertOk();
        var vectors = (await s.GetAsync("/collections/multi")).AssertOk().Result!["config"]!["params"]!["vectors"]!;
        Assert.Equal(3, vectors["image"]!["size"]!.GetValue<int>());
        Assert.Equal("Euclid", vectors["text"]!["distance"]!.GetValue<string>());
    }

    [Fact]
    public async Task Creating_an_existing_collection_is_409_as_in_qdrant()
    {
        await using var s = await GrapeTestServer.StartAsync();
        await s.CreateCollectionAsync("c");
        var r = (await s.PutAsync("/collections/c", """{"vectors":{"size":4,"distance":"Dot"}}""")).AssertError(HttpStatusCode.Conflict, "already exists");
        Assert.Equal("Wrong input: Collection `c` already exists!", r.Error);
    }

    [Theory]
    [InlineData("/collections/a:b", """{"vectors":{"size":4,"distance":"Dot"}}""", 422, "collection name")]
    [InlineData("/collections/a%2Ab", """{"vectors":{"size":4,"distance":"Dot"}}""", 422, "collection name")]
    [InlineData("/collections/c", """{"vectors":{"size":4,"distance":"Cos"}}""", 400, "unknown variant `Cos`")]
    [InlineData("/collections/c", """{"vectors":{"size":0,"distance":"Dot"}}""", 422, "vectors.size")]
    [InlineData("/collections/c", """{"vectors":{"size":"4","distance":"Dot"}}""", 400, "vectors.size")]
    [InlineData("/collections/c", """{"vectors":{"size":4,"distance":"Dot"},"sparse_vectors":{"s":{}}}""", 400, "not supported")]
    [InlineData("/collections/c", """{"vectors":{"size":4,"distance":"Dot"},"hnsw_config":{"ef_construct":1}}""", 422, "ef_construct")]
    [InlineData("/collections/c", """{"vectors":""", 400, "Format error in JSON body")]
    [InlineData("/collections/c", "", 400, "Format error in JSON body")]
    public async Task Bad_create_requests_are_refused_and_create_nothing(string path, string body, int status, string fragment)
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.PutAsync(path, body)).AssertError((HttpStatusCode)status, fragment);
        Assert.Empty((await s.GetAsync("/collections")).AssertOk().Result!["collections"]!.AsArray());
    }

    [Fact]
    public async Task Aliases_create_list_rename_delete()
    {
        await using var s = await GrapeTestServer.StartAsync();
        await s.CreateCollectionAsync("c");
        (await s.PostAsync("/collections/aliases", """{"actions":[{"create_alias":{"collection_name":"c","alias_name":"a1"}}]}""")).AssertOk();
        var all = (await s.GetAsync("/aliases")).AssertOk().Result!["aliases"]!.AsArray();
        Assert.Equal("a1", Assert.Single(all)!["alias_name"]!.GetValue<string>());
        Assert.Equal("c", all[0]!["collection_name"]!.GetValue<string>());
        (await s.GetAsync("/collections/a1")).AssertOk(); // an alias resolves for reads

        (await s.PostAsync("/collections/aliases", """{"actions":[{"rename_alias":{"old_alias_name":"a1","new_alias_name":"a2"}}]}""")).AssertOk();
        var mine = (await s.GetAsync("/collections/c/aliases")).AssertOk().Result!["aliases"]!.AsArray();
        Assert.Equal("a2", Assert.Single(mine)!["alias_name"]!.GetValue<string>());

        (await s.PostAsync("/collections/aliases", """{"actions":[{"delete_alias":{"alias_name":"a2"}}]}""")).AssertOk();
        Assert.Empty((await s.GetAsync("/aliases")).AssertOk().Result!["aliases"]!.AsArray());

        (await s.PostAsync("/collections/aliases", """{"actions":[{"explode":{}}]}""")).AssertError(HttpStatusCode.BadRequest, "create_alias");
        (await s.PostAsync("/collections/aliases", """{"actions":[{"create_alias":{"collection_name":"missing","alias_name":"x"}}]}""")).AssertError(HttpStatusCode.NotFound, "missing");
    }
}
