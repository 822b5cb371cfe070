using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;

namespace Grape.Core.Tests.Collections;

/// <summary>Every bad request is a typed error, and stored data is unchanged afterwards.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly GrapeDatabase _db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });

    public BadInputTests()
    {
        _db.CreateCollection("c", CreateCollectionRequest.Single(3, Distance.Cosine));
        _db.Upsert("c", [new PointStruct(1, [1f, 0, 0], new JsonObject { ["a"] = 1 })], WriteOptions.WaitForDurable);
    }

    public void Dispose() => _db.Close();

    private void AssertUnchanged()
    {
        Assert.Equal(1, _db.Count("c"));
        var p = Assert.Single(_db.Get("c", [1], PayloadSelector.All, VectorSelector.All));
        Assert.Equal(1, p.Payload!["a"]!.GetValue<int>());
        Assert.Equal([1f, 0, 0], p.Vectors![""].Dense);
    }

    [Fact]
    public void Wrong_dimension_is_a_bad_request_and_writes_nothing()
    {
        var e = Assert.Throws<BadRequestException>(() => _db.Upsert("c", [new PointStruct(2, [1f, 2, 3]), new PointStruct(1, [1f, 2])]));
        Assert.Contains("expected dim: 3, got 2", e.Message);
        AssertUnchanged();
        Assert.Throws<BadRequestException>(() => _db.Search("c", new SearchRequest([1f, 2])));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_values_are_rejected(float bad)
    {
        var e = Assert.Throws<BadRequestException>(() => _db.Upsert("c", [new PointStruct(1, [bad, 0, 0])]));
        Assert.Contains("NaN or infinite", e.Message);
        AssertUnchanged();
        Assert.Throws<BadRequestException>(() => _db.Search("c", new SearchRequest([0, bad, 0])));
    }

    [Fact]
    public void Unknown_collection_is_not_found()
    {
        var e = Assert.Throws<CollectionNotFoundException>(() => _db.Upsert("nope", [new PointStruct(1, [1f, 0, 0])]));
        Assert.Equal("Collection `nope` doesn't exist!", e.Message);
        Assert.Throws<CollectionNotFoundException>(() => _db.Search("nope", new SearchRequest([1f, 0, 0])));
        Assert.Throws<CollectionNotFoundException>(() => _db.GetCollectionInfo("nope"));
        Assert.False(_db.DeleteCollection("nope"));
    }

    [Fact]
    public void Duplicate_collection_already_exists()
    {
        Assert.Throws<AlreadyExistsException>(() => _db.CreateCollection("c", CreateCollectionRequest.Single(5, Distance.Dot)));
        AssertUnchanged();
        Assert.Equal(3, _db.GetCollectionInfo("c").Config.Vectors[""].Size);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a*b")]
    [InlineData("..")]
    public void Invalid_collection_names_are_rejected(string name)
    {
        Assert.Throws<BadRequestException>(() => _db.CreateCollection(name, CreateCollectionRequest.Single(3, Distance.Dot)));
        Assert.Equal(["c"], _db.ListCollections());
    }

    [Fact]
    public void Too_long_name_and_bad_sizes_are_rejected()
    {
        Assert.Throws<BadRequestException>(() => _db.CreateCollection(new string('x', 256), CreateCollectionRequest.Single(3, Distance.Dot)));
        Assert.Throws<BadRequestException>(() => _db.CreateCollection("z", CreateCollectionRequest.Single(0, Distance.Dot)));
        Assert.Throws<BadRequestException>(() => _db.CreateCollection("z", new CreateCollectionRequest { Vectors = new Dictionary<string, VectorParams>() }));
        Assert.False(_db.CollectionExists("z"));
    }

    [Fact]
    public void Empty_batch_is_rejected()
    {
        Assert.Throws<BadRequestException>(() => _db.Upsert("c", []));
        Assert.Throws<BadRequestException>(() => _db.BatchUpdate("c", []));
        AssertUnchanged();
    }

    [Fact]
    public void Unknown_vector_name_is_rejected()
    {
        var point = new PointStruct(5, new Dictionary<string, Vector> { ["image"] = new float[] { 1, 2, 3 } });
        Assert.Throws<BadRequestException>(() => _db.Upsert("c", [point]));
        Assert.Throws<BadRequestException>(() => _db.Search("c", new SearchRequest([1f, 0, 0]) { Using = "image" }));
        AssertUnchanged();
    }

    [Fact]
    public void Limits_must_be_positive()
    {
        Assert.Throws<BadRequestException>(() => _db.Search("c", new SearchRequest([1f, 0, 0]) { Limit = 0 }));
        Assert.Throws<BadRequestException>(() => _db.Scroll("c", new ScrollRequest { Limit = 0 }));
        Assert.Throws<BadRequestException>(() => _db.Search("c", new SearchRequest([1f, 0, 0]) { Offset = -1 }));
    }

    [Fact]
    public void Payload_write_to_a_missing_point_is_not_found_and_changes_nothing()
    {
        Assert.Throws<PointNotFoundException>(() => _db.SetPayload("c", new JsonObject { ["a"] = 2 }, PointsSelector.Ids([1, 99])));
        AssertUnchanged();
    }

    [Fact]
    public void A_batch_with_one_bad_operation_applies_none()
    {
        var ops = new UpdateOperation[]
        {
            new UpdateOperation.Upsert([new PointStruct(7, [0f, 1, 0])]),
            new UpdateOperation.Upsert([new PointStruct(8, [0f, 1])]),
        };
        Assert.Throws<BadRequestException>(() => _db.BatchUpdate("c", ops));
        AssertUnchanged();
    }

    [Fact]
    public void Malformed_uuid_text_is_a_bad_request()
    {
        Assert.Throws<BadRequestException>(() => PointId.Parse("not-a-uuid"));
        Assert.Throws<BadRequestException>(() => PointId.Parse("-5"));
    }
}
