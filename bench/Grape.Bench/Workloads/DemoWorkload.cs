using System.Diagnostics;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Bench.Workloads;

/// <summary>
/// <c>demo [--storage DIR] [--points N]</c>: a tour of the embedded API on a storage folder. Creates a small collection,
/// upserts points durably, searches with and without filters, edits payloads, deletes by filter, closes and reopens.
/// </summary>
internal static class DemoWorkload
{
    private const string Collection = "demo";
    private const int Dim = 16;
    private static readonly string[] Cities = ["Berlin", "Lisbon", "Oslo", "Tokyo", "Lima"];

    public static async Task<int> RunAsync(BenchArgs args)
    {
        string storage = Path.GetFullPath(args.String("storage") ?? "grape-data");
        int points = args.Int("points", 10_000);
        args.RejectUnknown();

        Console.WriteLine($"Opening Grape on {storage}");
        var db = await GrapeDatabase.OpenAsync(new GrapeOptions(storage));
        try
        {
            if (await db.CollectionExistsAsync(Collection))
            {
                Console.WriteLine($"Collection `{Collection}` exists from an earlier run: {await db.CountAsync(Collection)} points; recreating it");
                await db.DeleteCollectionAsync(Collection);
            }
            await db.CreateCollectionAsync(Collection, CreateCollectionRequest.Single(Dim, Distance.Cosine));

            var sw = Stopwatch.StartNew();
            for (int first = 0; first < points; first += 1000)
            {
                var batch = new PointStruct[Math.Min(1000, points - first)];
                for (int i = 0; i < batch.Length; i++) batch[i] = PointOf((ulong)(first + i));
                await db.UpsertAsync(Collection, batch, WriteOptions.WaitForDurable);
            }
            Console.WriteLine($"Upserted {points:N0} points (batches of 1,000, wait=true) in {sw.Elapsed.TotalMilliseconds:F0} ms");
            var info = await db.GetCollectionInfoAsync(Collection);
            Console.WriteLine($"Collection `{Collection}`: status {info.Status}, {info.PointsCount} points, {info.SegmentsCount} segment(s), {Dim}-d {Distance.Cosine}");

            var query = VectorOf(42);
            Print("Nearest 3 to point 42's vector", await db.SearchAsync(Collection, new SearchRequest(query) { Limit = 3, WithPayload = PayloadSelector.All }));

            var berlinCheap = new Filter
            {
                Must =
                [
                    new FieldCondition("city") { Match = new MatchValue("Berlin") },
                    new FieldCondition("price") { Range = new Grape.Core.Filtering.Model.Range { Gte = 100, Lt = 200 } },
                ],
            };
            Print("Nearest 3 in Berlin with 100 <= price < 200", await db.SearchAsync(Collection, new SearchRequest(query) { Limit = 3, Filter = berlinCheap, WithPayload = PayloadSelector.All }));
            Console.WriteLine($"Points in Berlin with 100 <= price < 200: {await db.CountAsync(Collection, new CountRequest { Filter = berlinCheap })}");

            await db.SetPayloadAsync(Collection, new JsonObject { ["featured"] = true }, PointsSelector.Ids([7UL]), write: WriteOptions.WaitForDurable);
            var got = await db.GetAsync(Collection, [7UL, 8UL, 999_999UL]);
            Console.WriteLine("Get 7, 8 and a missing id (after set_payload on 7):");
            foreach (var r in got) Console.WriteLine($"  {r.Id}: {r.Payload?.ToJsonString()}");

            var page = await db.ScrollAsync(Collection, new ScrollRequest { Limit = 3, Filter = Filter.MustAll(new FieldCondition("in_stock") { Match = new MatchValue(true) }) });
            Console.WriteLine($"Scroll of in-stock points, first page: {string.Join(", ", page.Points.Select(p => p.Id))}; next page starts at {page.NextPageOffset}");

            var expensive = Filter.MustAll(new FieldCondition("price") { Range = new Grape.Core.Filtering.Model.Range { Gte = 900 } });
            long before = await db.CountAsync(Collection);
            await db.DeleteAsync(Collection, PointsSelector.ByFilter(expensive), WriteOptions.WaitForDurable);
            long after = await db.CountAsync(Collection);
            Console.WriteLine($"Deleted points with price >= 900: {before} -> {after} points");

            await db.CloseAsync();
            sw.Restart();
            db = await GrapeDatabase.OpenAsync(new GrapeOptions(storage));
            Console.WriteLine($"Closed and reopened in {sw.Elapsed.TotalMilliseconds:F0} ms: {await db.CountAsync(Collection)} points, " +
                $"point 7 featured = {(await db.GetAsync(Collection, [7UL]))[0].Payload?["featured"]}");
            Console.WriteLine($"Done. The data stays in {storage}.");
            return 0;
        }
        finally
        {
            await db.CloseAsync();
        }
    }

    private static void Print(string title, IReadOnlyList<ScoredPoint> hits)
    {
        Console.WriteLine(title + ":");
        foreach (var h in hits) Console.WriteLine($"  id {h.Id,6}  score {h.Score:F4}  {h.Payload?.ToJsonString()}");
    }

    private static PointStruct PointOf(ulong id) => new(id, VectorOf(id), new JsonObject
    {
        ["city"] = Cities[id % (ulong)Cities.Length],
        ["price"] = (long)(id * 7919 % 1000),
        ["in_stock"] = id % 3 == 0,
        ["tags"] = new JsonArray("demo", id % 2 == 0 ? "even" : "odd"),
    });

    private static float[] VectorOf(ulong id)
    {
        var rng = new Random((int)id);
        var v = new float[Dim];
        for (int i = 0; i < Dim; i++) v[i] = rng.NextSingle() * 2 - 1;
        return v;
    }
}
