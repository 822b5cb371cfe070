using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Indexing.Payload;

public sealed class PayloadIndexPersistenceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private GrapeDatabase Open(string? path = null) => GrapeDatabase.Open(new GrapeOptions(path ?? _dir.Path) { EnableOptimizer = false });

    private static List<PointStruct> Points(int from, int to) =>
        [.. Enumerable.Range(from, to - from).Select(i => new PointStruct((ulong)i, new float[] { i },
            new JsonObject { ["city"] = i % 3 == 0 ? "Berlin" : "Paris", ["n"] = i, ["tags"] = new JsonArray("x", i % 2 == 0 ? "even" : "odd") }))];

    private static Filter Berlin => Filter.MustAll(new FieldCondition("city") { Match = new MatchValue("Berlin") });

    private static void Optimize(GrapeDatabase db)
    {
        var shard = db.CollectionForTests("c").Shard;
        var set = shard.AcquireSegments();
        var all = set.Segments.ToList();
        set.Release();
        shard.Optimize(all, CancellationToken.None);
    }

    private static Segment[] Segments(GrapeDatabase db)
    {
        var set = db.CollectionForTests("c").Shard.AcquireSegments();
        try { return set.Segments; } finally { set.Release(); }
    }

    [Fact]
    public void Indexes_are_registered_in_the_manifest_and_loaded_on_reopen()
    {
        using (var db = Open())
        {
            db.CreateCollection("c", CreateCollectionRequest.Single(1, Distance.Dot));
            db.Upsert("c", Points(0, 30), WriteOptions.WaitForDurable);
            db.CreateFieldIndex("c", "city", PayloadSchemaType.Keyword, WriteOptions.WaitForDurable);
            db.CreateFieldIndex("c", "n", PayloadFieldSchema.WithParams(PayloadSchemaType.Integer, new PayloadIndexParams { Range = true }), WriteOptions.WaitForDurable);
            Optimize(db);
            db.Upsert("c", Points(30, 40), WriteOptions.WaitForDurable);
        }
        using (var db = Open())
        {
            foreach (var s in Segments(db))
            {
                var manifest = SegmentManifest.Read(SegmentFiles.ManifestPath(s.Directory));
                Assert.Equal(["city", "n"], manifest.PayloadIndexes!.Select(p => p.Key).Order());
                foreach (var f in manifest.PayloadIndexes!) Assert.True(File.Exists(Path.Combine(s.Directory, SegmentPayloadIndex.Folder, f.File)));
                Assert.NotNull(s.PayloadIndex.Find("city"));
            }
            var info = db.GetCollectionInfo("c");
            Assert.Equal(40, info.PayloadSchema["city"].Points);
            Assert.Equal("keyword", info.PayloadSchema["city"].DataType);
            Assert.Null(info.PayloadSchema["city"].Params);
            Assert.Equal("{\"type\":\"integer\",\"lookup\":null,\"range\":true,\"is_principal\":null}", info.PayloadSchema["n"].Params!.ToJsonString());
            Assert.Equal(Enumerable.Range(0, 40).Count(i => i % 3 == 0), db.Count("c", new CountRequest { Filter = Berlin }));
            Assert.Equal(5, db.Count("c", new CountRequest { Filter = Filter.MustAll(new FieldCondition("n") { Range = new Grape.Core.Filtering.Model.Range { Gte = 10, Lt = 15 } }) }));
        }
    }

    [Fact]
    public void Optimizer_output_carries_the_indexes_and_writes_after_it_keep_them_current()
    {
        using var db = Open();
        db.CreateCollection("c", CreateCollectionRequest.Single(1, Distance.Dot));
        db.CreateFieldIndex("c", "tags", PayloadSchemaType.Keyword);
        db.Upsert("c", Points(0, 20));
        Optimize(db);
        Assert.All(Segments(db), s => Assert.NotNull(s.PayloadIndex.Find("tags")));
        var built = Segments(db).Single(s => !s.IsAppendable);
        Assert.Equal(20, built.PayloadIndex.Find("tags")!.Points.Count);

        // Edits move points to the appendable segment: the old slots are deleted, the new ones indexed.
        db.OverwritePayload("c", new JsonObject { ["tags"] = "even" }, PointsSelector.Ids([1UL, 3UL]));
        db.Delete("c", PointsSelector.Ids([0UL]));
        db.ClearPayload("c", PointsSelector.Ids([2UL]));
        var even = Filter.MustAll(new FieldCondition("tags") { Match = new MatchValue("even") });
        Assert.Equal(new ulong[] { 1, 3, 4, 6, 8, 10, 12, 14, 16, 18 },
            db.Scroll("c", new ScrollRequest { Filter = even, Limit = 100 }).Points.Select(p => p.Id.Number));
        Assert.Equal(18, db.GetCollectionInfo("c").PayloadSchema["tags"].Points); // 0 deleted, 2 cleared
        db.DeletePayload("c", ["tags"], PointsSelector.Ids([4UL]));
        Assert.Equal(9, db.Count("c", new CountRequest { Filter = even }));
        Assert.Equal(17, db.GetCollectionInfo("c").PayloadSchema["tags"].Points);
    }

    [Fact]
    public void A_crash_after_creating_an_index_replays_it_from_the_log()
    {
        string copy = Path.Combine(_dir.Path, "crashed");
        string live = Path.Combine(_dir.Path, "live");
        using (var db = Open(live))
        {
            db.CreateCollection("c", CreateCollectionRequest.Single(1, Distance.Dot));
            db.Upsert("c", Points(0, 25), WriteOptions.WaitForDurable);
            db.Flush();
            db.CreateFieldIndex("c", "city", PayloadSchemaType.Keyword, WriteOptions.WaitForDurable);
            db.Upsert("c", Points(25, 35), WriteOptions.WaitForDurable);
            // What a crash leaves: the log holds the index operation and later writes, the segments their last flush.
            CopyDirectory(live, copy, skip: "grape.lock");
            // And a config written before the index existed: replay alone must bring it back.
            var config = Path.Combine(copy, "collections", "c", "config.json");
            var json = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
            json.Remove("payload_schema");
            File.WriteAllText(config, json.ToJsonString());
        }
        using var reopened = Open(copy);
        var info = reopened.GetCollectionInfo("c");
        Assert.Equal(35, info.PayloadSchema["city"].Points);
        Assert.Equal(Enumerable.Range(0, 35).Count(i => i % 3 == 0), reopened.Count("c", new CountRequest { Filter = Berlin }));
        Assert.All(Segments(reopened), s => Assert.NotNull(s.PayloadIndex.Find("city")));
        Assert.Contains("payload_schema", File.ReadAllText(Path.Combine(copy, "collections", "c", "config.json")));
    }

    [Fact]
    public void Deleting_an_index_is_replayed_and_removes_its_files()
    {
        using (var db = Open())
        {
            db.CreateCollection("c", CreateCollectionRequest.Single(1, Distance.Dot));
            db.Upsert("c", Points(0, 10));
            db.CreateFieldIndex("c", "city", PayloadSchemaType.Keyword);
            db.Flush();
            db.DeleteFieldIndex("c", "city", WriteOptions.WaitForDurable);
            db.DeleteFieldIndex("c", "never-indexed", WriteOptions.WaitForDurable);
        }
        using var reopened = Open();
        Assert.Empty(reopened.GetCollectionInfo("c").PayloadSchema);
        foreach (var s in Segments(reopened))
        {
            Assert.Null(s.PayloadIndex.Find("city"));
            var folder = Path.Combine(s.Directory, SegmentPayloadIndex.Folder);
            Assert.True(!Directory.Exists(folder) || Directory.GetFiles(folder).Length == 0);
        }
        Assert.Throws<Errors.BadRequestException>(() => reopened.Facet("c", new FacetRequest("city")));
    }

    [Fact]
    public void Bad_schemas_and_keys_are_refused_before_anything_is_logged()
    {
        using var db = Open();
        db.CreateCollection("c", CreateCollectionRequest.Single(1, Distance.Dot));
        Assert.Throws<Errors.BadRequestException>(() => db.CreateFieldIndex("c", "x", null));
        Assert.Throws<Errors.BadRequestException>(() => db.CreateFieldIndex("c", "a..b", PayloadSchemaType.Keyword));
        Assert.Throws<Errors.BadRequestException>(() => db.CreateFieldIndex("c", "x",
            PayloadFieldSchema.WithParams(PayloadSchemaType.Integer, new PayloadIndexParams { Lookup = false, Range = false })));
        Assert.Throws<Errors.BadRequestException>(() => db.CreateFieldIndex("c", "x",
            PayloadFieldSchema.WithParams(PayloadSchemaType.Float, new PayloadIndexParams { IsTenant = true })));
        Assert.Empty(db.GetCollectionInfo("c").PayloadSchema);
    }

    private static void CopyDirectory(string from, string to, string skip)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from))
            if (Path.GetFileName(f) != skip) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyDirectory(d, Path.Combine(to, Path.GetFileName(d)), skip);
    }
}
