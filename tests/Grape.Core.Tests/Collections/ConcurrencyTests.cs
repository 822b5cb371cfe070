using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Collections;

public class ConcurrencyTests
{
    [Fact]
    public async Task Parallel_upserts_deletes_and_searches_lose_no_update()
    {
        using var dir = new TempDir();
        // A tiny indexing threshold keeps the optimizer swapping segments under the load.
        var options = new GrapeOptions(dir.Path) { DefaultOptimizersConfig = new OptimizersConfig { IndexingThreshold = 20, FlushIntervalSec = 1, DefaultSegmentNumber = 2 } };
        await using var db = await GrapeDatabase.OpenAsync(options);
        await db.CreateCollectionAsync("c", CreateCollectionRequest.Single(8, Distance.Cosine));

        const int writers = 4, perWriter = 600;
        var deleted = new ConcurrentDictionary<ulong, bool>();
        var errors = new ConcurrentQueue<Exception>();
        using var stop = new CancellationTokenSource();

        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            var rnd = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var q = Enumerable.Range(0, 8).Select(_ => (float)rnd.NextDouble()).ToArray();
                    var hits = await db.SearchAsync("c", new SearchRequest(q) { Limit = 20, WithPayload = PayloadSelector.All });
                    foreach (var h in hits)
                        if (h.Payload!["id"]!.GetValue<ulong>() != h.Id.Number) throw new InvalidOperationException("payload of another point");
                    if (hits.Select(h => h.Id).Distinct().Count() != hits.Count) throw new InvalidOperationException("duplicate id in results");
                    await db.ScrollAsync("c", new ScrollRequest { Limit = 50 });
                }
                catch (Exception e) { errors.Enqueue(e); }
            }
        })).ToArray();

        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var rnd = new Random(100 + w);
            for (int i = 0; i < perWriter; i++)
            {
                ulong id = (ulong)(w * perWriter + i);
                var v = Enumerable.Range(0, 8).Select(_ => (float)rnd.NextDouble() + 0.01f).ToArray();
                try
                {
                    await db.UpsertAsync("c", [new PointStruct(id, v, new JsonObject { ["id"] = id, ["w"] = w })], new WriteOptions(Wait: i % 50 == 0));
                    if (i % 7 == 3)
                    {
                        ulong victim = id - 2;
                        await db.DeleteAsync("c", PointsSelector.Ids([victim]));
                        deleted[victim] = true;
                    }
                }
                catch (Exception e) { errors.Enqueue(e); }
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.Empty(errors);
        long expected = writers * perWriter - deleted.Count;
        Assert.Equal(expected, await db.CountAsync("c"));
        var all = new List<PointId>();
        PointId? offset = null;
        do
        {
            var page = await db.ScrollAsync("c", new ScrollRequest { Limit = 500, Offset = offset, WithPayload = PayloadSelector.None });
            all.AddRange(page.Points.Select(p => p.Id));
            offset = page.NextPageOffset;
        } while (offset is not null);
        Assert.Equal(expected, all.Count);
        Assert.DoesNotContain(all, id => deleted.ContainsKey(id.Number));
    }
}
