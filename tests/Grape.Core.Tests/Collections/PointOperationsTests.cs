using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Collections;

public sealed class PointOperationsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private GrapeDatabase _db;

    public PointOperationsTests()
    {
        _db = Open();
        _db.CreateCollection("c", new CreateCollectionRequest
        {
            Vectors = new Dictionary<string, VectorParams> { ["text"] = new(4, Distance.Dot), ["image"] = new(2, Distance.Euclid) },
        });
    }

    private GrapeDatabase Open() => GrapeDatabase.Open(new GrapeOptions(_dir.Path) { EnableOptimizer = false });

    public void Dispose()
    {
        _db.Close();
        _dir.Dispose();
    }

    private static PointStruct P(PointId id, float x, JsonObject? payload = null, bool withImage = true)
    {
        var v = new Dictionary<string, Vector> { ["text"] = new float[] { x, 1, 0, 0 } };
        if (withImage) v["image"] = new float[] { x, x };
        return new PointStruct(id, v, payload);
    }

    private void Reopen()
    {
        _db.Close();
        _db = Open();
    }

    [Fact]
    public void Numeric_and_uuid_ids_live_together_and_survive_reopen()
    {
        var uuid = Guid.Parse("5c56c793-69f3-4fbf-87e6-c4bf54c28c26");
        _db.Upsert("c", [P(1, 1), P(uuid, 2, new JsonObject { ["k"] = "v" }, withImage: false)], WriteOptions.WaitForDurable);
        Reopen();
        var got = _db.Get("c", [uuid, 1, 42], PayloadSelector.All, VectorSelector.All);
        Assert.Equal(2, got.Count);
        var u = got.Single(r => r.Id.IsUuid);
        Assert.Equal("v", u.Payload!["k"]!.GetValue<string>());
        Assert.False(u.Vectors!.ContainsKey("image"));
        Assert.Equal(new float[] { 2, 1, 0, 0 }, u.Vectors["text"].Dense);
    }

    [Fact]
    public void Payload_operations_follow_Qdrant()
    {
        _db.Upsert("c", [P(1, 1, new JsonObject { ["a"] = 1, ["b"] = new JsonObject { ["c"] = 2 } }), P(2, 2, new JsonObject { ["a"] = 5 })]);
        _db.SetPayload("c", new JsonObject { ["x"] = "y" }, PointsSelector.Ids([1]));
        _db.SetPayload("c", new JsonObject { ["d"] = 3 }, PointsSelector.Ids([1]), key: "b");
        var p1 = _db.Get("c", [1])[0].Payload!;
        Assert.Equal("y", p1["x"]!.GetValue<string>());
        Assert.Equal(2, p1["b"]!["c"]!.GetValue<int>());
        Assert.Equal(3, p1["b"]!["d"]!.GetValue<int>());

        _db.DeletePayload("c", ["b.c", "a"], PointsSelector.Ids([1]));
        p1 = _db.Get("c", [1])[0].Payload!;
        Assert.Null(p1["a"]);
        Assert.Null(p1["b"]!["c"]);

        _db.OverwritePayload("c", new JsonObject { ["only"] = true }, PointsSelector.ByFilter(Filter.MustAll(new FieldCondition("a") { Match = new MatchValue(5) })));
        Assert.Equal("{\"only\":true}", _db.Get("c", [2])[0].Payload!.ToJsonString());

        _db.ClearPayload("c", PointsSelector.Ids([1, 2]), WriteOptions.WaitForDurable);
        Reopen();
        Assert.All(_db.Get("c", [1, 2]), r => Assert.Empty(r.Payload!));
        // Vectors survive payload edits.
        Assert.Equal(new float[] { 1, 1 }, _db.Get("c", [1], PayloadSelector.None, VectorSelector.Only(["image"]))[0].Vectors!["image"].Dense);
    }

    [Fact]
    public void Payload_selectors_include_and_exclude()
    {
        _db.Upsert("c", [P(1, 1, new JsonObject { ["a"] = 1, ["b"] = 2, ["c"] = 3 })]);
        Assert.Equal(["a", "c"], _db.Get("c", [1], PayloadSelector.IncludeKeys(["a", "c"]))[0].Payload!.Select(kv => kv.Key).Order());
        Assert.Equal(["b"], _db.Get("c", [1], PayloadSelector.ExcludeKeys(["a", "c"]))[0].Payload!.Select(kv => kv.Key));
        Assert.Null(_db.Get("c", [1], PayloadSelector.None)[0].Payload);
    }

    [Fact]
    public void Vector_operations_update_and_delete_named_vectors()
    {
        _db.Upsert("c", [P(1, 1, new JsonObject { ["keep"] = 1 })]);
        _db.UpdateVectors("c", [new PointVectors(1, new Dictionary<string, Vector> { ["image"] = new float[] { 9, 9 } })]);
        var r = _db.Get("c", [1], PayloadSelector.All, VectorSelector.All)[0];
        Assert.Equal(new float[] { 9, 9 }, r.Vectors!["image"].Dense);
        Assert.Equal(new float[] { 1, 1, 0, 0 }, r.Vectors["text"].Dense);
        Assert.Equal(1, r.Payload!["keep"]!.GetValue<int>());

        _db.DeleteVectors("c", PointsSelector.Ids([1]), ["image"]);
        r = _db.Get("c", [1], PayloadSelector.All, VectorSelector.All)[0];
        Assert.False(r.Vectors!.ContainsKey("image"));
        // A point without the vector is not found by a search on it.
        Assert.Empty(_db.Search("c", new SearchRequest([1f, 1]) { Using = "image" }));
        Assert.Single(_db.Search("c", new SearchRequest([1f, 1, 0, 0]) { Using = "text" }));
    }

    [Fact]
    public void Scroll_pages_through_every_point_in_id_order()
    {
        var ids = Enumerable.Range(0, 95).Select(i => (ulong)(i * 7 % 95)).ToList();
        _db.Upsert("c", ids.Select(i => P(i, i)).ToList());
        _db.Upsert("c", [P(Guid.Parse("00000000-0000-0000-0000-000000000001"), 0)]);
        var seen = new List<PointId>();
        PointId? offset = null;
        int pages = 0;
        do
        {
            var page = _db.Scroll("c", new ScrollRequest { Limit = 10, Offset = offset });
            seen.AddRange(page.Points.Select(p => p.Id));
            offset = page.NextPageOffset;
            pages++;
        } while (offset is not null);
        Assert.Equal(10, pages);
        Assert.Equal(96, seen.Count);
        Assert.Equal(seen.OrderBy(x => x).ToList(), seen);
        Assert.True(seen[^1].IsUuid);

        var filtered = _db.Scroll("c", new ScrollRequest { Limit = 100, Filter = Filter.MustAll(new HasIdCondition(new HashSet<PointId> { 3, 5, 90 })) });
        Assert.Equal(new PointId[] { 3, 5, 90 }, filtered.Points.Select(p => p.Id));
        Assert.Null(filtered.NextPageOffset);
    }

    [Fact]
    public void Count_and_delete_by_filter()
    {
        _db.Upsert("c", Enumerable.Range(0, 50).Select(i => P((ulong)i, i, new JsonObject { ["n"] = i })).ToList());
        var lt10 = Filter.MustAll(new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Lt = 10 } });
        Assert.Equal(10, _db.Count("c", new CountRequest { Filter = lt10 }));
        _db.Delete("c", lt10, WriteOptions.WaitForDurable);
        Assert.Equal(40, _db.Count("c"));
        _db.Delete("c", [10, 11, 999]);
        Assert.Equal(38, _db.Count("c"));
        Reopen();
        Assert.Equal(38, _db.Count("c"));
        Assert.Empty(_db.Get("c", [0, 5, 10, 11]));
    }

    [Fact]
    public void Batch_applies_operations_in_order_with_increasing_ids()
    {
        var results = _db.BatchUpdate("c",
        [
            new UpdateOperation.Upsert([P(1, 1, new JsonObject { ["v"] = 1 })]),
            new UpdateOperation.SetPayload(new JsonObject { ["v"] = 2 }, PointsSelector.Ids([1])),
            new UpdateOperation.Upsert([P(2, 2)]),
            new UpdateOperation.Delete(PointsSelector.Ids([2])),
        ], WriteOptions.WaitForDurable);
        Assert.Equal(4, results.Count);
        Assert.True(results.Zip(results.Skip(1)).All(p => p.First.OperationId < p.Second.OperationId));
        Assert.All(results, r => Assert.Equal(UpdateStatus.Completed, r.Status));
        Assert.Equal(2, _db.Get("c", [1])[0].Payload!["v"]!.GetValue<int>());
        Assert.Equal(1, _db.Count("c"));
    }

    [Fact]
    public void Aliases_switch_atomically_and_persist()
    {
        _db.CreateCollection("d", CreateCollectionRequest.Single(2, Distance.Dot));
        _db.UpdateAliases([new CreateAlias("live", "c")]);
        _db.Upsert("live", [P(1, 1)]);
        Assert.Equal(1, _db.Count("c"));
        _db.UpdateAliases([new DeleteAlias("live"), new CreateAlias("live", "d")]);
        Assert.Equal(0, _db.Count("live"));
        // A failing step leaves every alias as it was.
        Assert.ThrowsAny<Grape.Core.Errors.GrapeException>(() => _db.UpdateAliases([new RenameAlias("live", "other"), new CreateAlias("x", "missing")]));
        Reopen();
        Assert.Equal([new AliasDescription("live", "d")], _db.ListAliases());
        _db.UpdateAliases([new RenameAlias("live", "prod")]);
        Assert.Equal([new AliasDescription("prod", "d")], _db.ListAliases("d"));
        // Qdrant's rules: deleting a missing alias is a no-op, a missing collection has no aliases, and a collection
        // can't take an alias's name (bad input).
        _db.UpdateAliases([new DeleteAlias("never-existed")]);
        Assert.Empty(_db.ListAliases("no-such-collection"));
        var e = Assert.Throws<Grape.Core.Errors.BadRequestException>(() => _db.CreateCollection("prod", CreateCollectionRequest.Single(2, Distance.Dot)));
        Assert.Contains("Alias with the same name already exists", e.Message);
        Assert.True(_db.DeleteCollection("d"));
        Assert.Empty(_db.ListAliases());
        Assert.False(_db.CollectionExists("d"));
    }

    [Fact]
    public void Collection_info_reports_counts_and_config()
    {
        _db.Upsert("c", [P(1, 1), P(2, 2)], WriteOptions.WaitForDurable);
        var info = _db.GetCollectionInfo("c");
        Assert.Equal(2, info.PointsCount);
        Assert.Equal(CollectionStatus.Green, info.Status);
        Assert.Equal(4, info.Config.Vectors["text"].Size);
        Assert.Equal(Distance.Euclid, info.Config.Vectors["image"].Distance);
        Assert.True(info.SegmentsCount >= 1);
        _db.UpdateCollection("c", new UpdateCollectionRequest { OptimizersConfig = new OptimizersConfigDiff { DeletedThreshold = 0.5 } });
        Reopen();
        Assert.Equal(0.5, _db.GetCollectionInfo("c").Config.OptimizersConfig.DeletedThreshold);
    }
}
