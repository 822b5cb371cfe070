using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Core.Points;

namespace Grape.Core.Tests.Indexing.Payload;

/// <summary>
/// Issue 7's check: random payloads and random filter trees, answered through the payload indexes (appendable and
/// optimized segments, indexes built before and after the data, payload edits and deletes) and by a naive reference
/// evaluator, must agree exactly for count, scroll, exact search and facet.
/// </summary>
public sealed class IndexedFilterPropertyTests
{
    private static readonly (string Key, PayloadFieldSchema Schema)[] Indexes =
    [
        ("k", PayloadFieldSchema.WithParams(PayloadSchemaType.Keyword, new PayloadIndexParams { Prefix = true })), ("n", PayloadSchemaType.Integer), ("f", PayloadSchemaType.Float),
        ("b", PayloadSchemaType.Bool), ("d", PayloadSchemaType.Datetime), ("u", PayloadSchemaType.Uuid),
        ("g", PayloadSchemaType.Geo), ("t", PayloadSchemaType.Text), ("obj.k", PayloadSchemaType.Keyword),
        ("arr[].n", PayloadSchemaType.Integer), ("arr[].k", PayloadSchemaType.Keyword),
    ];

    [Property(MaxTest = 25)]
    public bool Indexed_answers_equal_the_naive_reference(int seed)
    {
        var rnd = new Random(seed);
        var gen = new RandomFilters(rnd);
        var reference = new JsonReferenceFilter(new HashSet<string> { "t" });
        using var db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });
        db.CreateCollection("c", CreateCollectionRequest.Single(1, Distance.Dot));
        var payloads = new Dictionary<ulong, JsonObject>();

        void Upsert(ulong from, ulong to)
        {
            var points = new List<PointStruct>();
            for (ulong id = from; id < to; id++)
            {
                payloads[id] = gen.Payload();
                points.Add(new PointStruct(id, new float[] { id + 1 }, (JsonObject)payloads[id].DeepClone()));
            }
            db.Upsert("c", points);
        }

        Upsert(0, 25);
        // Half the indexes over existing data, then freeze the segment (built indexes), then the rest incrementally.
        foreach (var (key, schema) in Indexes.Take(6)) db.CreateFieldIndex("c", key, schema);
        var collection = db.CollectionForTests("c");
        var set = collection.Shard.AcquireSegments();
        var appendable = set.Appendable;
        set.Release();
        collection.Shard.Optimize([appendable], CancellationToken.None);
        foreach (var (key, schema) in Indexes.Skip(6)) db.CreateFieldIndex("c", key, schema);
        Upsert(25, 45);
        for (int i = 0; i < 6; i++)
        {
            ulong id = (ulong)rnd.Next(0, 45);
            var extra = gen.Payload();
            db.OverwritePayload("c", extra, PointsSelector.Ids([id]));
            payloads[id] = extra;
        }
        foreach (var id in Enumerable.Range(0, 4).Select(_ => (ulong)rnd.Next(0, 45)).Distinct().ToList())
        {
            db.Delete("c", PointsSelector.Ids([id]));
            payloads.Remove(id);
        }

        for (int q = 0; q < 15; q++)
        {
            var filter = q % 3 == 0 ? gen.Simple() : gen.Tree(2);
            var want = payloads.Where(kv => reference.Eval(filter, kv.Value, kv.Key)).Select(kv => kv.Key).Order().ToList();

            long count = db.Count("c", new CountRequest { Filter = filter });
            var scrolled = db.Scroll("c", new ScrollRequest { Filter = filter, Limit = 100, WithPayload = PayloadSelector.None })
                .Points.Select(p => p.Id.Number).ToList();
            var searched = db.Search("c", new SearchRequest([1f]) { Filter = filter, Limit = 5 }).Select(p => p.Id.Number).ToList();
            var wantTop = want.OrderByDescending(id => id).Take(5).ToList();
            var facet = db.Facet("c", new FacetRequest("k") { Filter = filter, Limit = 100 })
                .Hits.Select(h => (h.Value.Keyword, h.Count)).OrderBy(h => h.Keyword, StringComparer.Ordinal).ToList();
            var wantFacet = RandomFilters.Words
                .Select(w => (Keyword: (string?)w, Count: (long)want.Count(id => JsonReferenceFilter.Values(payloads[id], "k")
                    .Any(v => v is JsonArray a ? a.Any(e => IsString(e, w)) : IsString(v, w)))))
                .Where(h => h.Count > 0).ToList();

            if (count != want.Count || !scrolled.SequenceEqual(want) || !searched.SequenceEqual(wantTop) || !facet.SequenceEqual(wantFacet))
            {
                throw new Xunit.Sdk.XunitException(
                    $"seed {seed}, filter #{q}: {System.Text.Json.JsonSerializer.Serialize(filter.ToString())}\n" +
                    $"want {string.Join(",", want)}\ncount {count}, scroll {string.Join(",", scrolled)}, search {string.Join(",", searched)} vs {string.Join(",", wantTop)}\n" +
                    $"facet {string.Join(",", facet)} vs {string.Join(",", wantFacet)}\n" +
                    string.Join("\n", payloads.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value.ToJsonString()}")));
            }
        }
        return true;
    }

    private static bool IsString(JsonNode? v, string w) =>
        v is JsonValue s && s.GetValueKind() == System.Text.Json.JsonValueKind.String && s.GetValue<string>() == w;
}
