using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Collections;

public class OptimizerTests
{
    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        for (int i = 0; i < 600 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "timed out waiting for " + what);
    }

    [Fact]
    public async Task Segments_are_frozen_merged_and_vacuumed_without_losing_points()
    {
        using var dir = new TempDir();
        var cfg = new OptimizersConfig { IndexingThreshold = 8, DefaultSegmentNumber = 2, DeletedThreshold = 0.2, VacuumMinVectorNumber = 100, FlushIntervalSec = 1 };
        var options = new GrapeOptions(dir.Path) { DefaultOptimizersConfig = cfg };
        var db = await GrapeDatabase.OpenAsync(options);
        await db.CreateCollectionAsync("c", CreateCollectionRequest.Single(16, Distance.Euclid));
        var rnd = new Random(3);
        var vectors = new Dictionary<ulong, float[]>();
        for (int batch = 0; batch < 10; batch++)
        {
            var points = new List<PointStruct>();
            for (int i = 0; i < 300; i++)
            {
                ulong id = (ulong)(batch * 300 + i);
                var v = Enumerable.Range(0, 16).Select(_ => (float)rnd.NextDouble()).ToArray();
                vectors[id] = v;
                points.Add(new PointStruct(id, v, new JsonObject { ["b"] = batch }));
            }
            await db.UpsertAsync("c", points, WriteOptions.WaitForDurable);
        }
        // 8 KB of 16-dim vectors is 128 points: the appendable segment is frozen repeatedly, then merged down.
        await WaitUntil(() => db.GetCollectionInfo("c").SegmentsCount <= 3 && db.GetCollectionInfo("c").Status == CollectionStatus.Green, "merge");
        Assert.Equal(3000, db.Count("c"));

        var gone = vectors.Keys.Where(id => id % 3 != 0).ToList();
        await db.DeleteAsync("c", PointsSelector.Ids(gone.Select(i => (PointId)i).ToList()), WriteOptions.WaitForDurable);
        foreach (var id in gone) vectors.Remove(id);
        await WaitUntil(() => db.GetCollectionInfo("c").Status == CollectionStatus.Green, "vacuum");
        Assert.Equal(vectors.Count, db.Count("c"));

        var q = vectors[30];
        var want = Naive.TopK(Distance.Euclid, vectors, q, 10).Select(x => x.Id).ToList();
        Assert.Equal(want, db.Search("c", new SearchRequest(q) { Limit = 10 }).Select(p => p.Id.Number));
        await db.CloseAsync();

        await using var again = await GrapeDatabase.OpenAsync(options);
        Assert.Equal(vectors.Count, again.Count("c"));
        Assert.Equal(want, again.Search("c", new SearchRequest(q) { Limit = 10 }).Select(p => p.Id.Number));
        Assert.Empty(again.Get("c", [1, 2]));
    }
}
