// Recommend*, Discover* and SearchGroups are deprecated in Qdrant's protos (Query replaces them) but still served.
#pragma warning disable CS0612
using System.Text.Json.Nodes;
using Grpc.Core;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

public sealed class GrpcLegacyQueryTests
{
    private static P.PointId Id(ulong n) => new() { Num = n };

    private static P.Vector Dense(params float[] v)
    {
        var d = new P.DenseVector();
        d.Data.Add(v);
        return new P.Vector { Dense = d };
    }

    private static async Task<GrpcTestServer> SeededAsync()
    {
        var s = await StartAsync();
        await s.CreateAsync("c", size: 4, distance: P.Distance.Dot);
        var points = new List<P.PointStruct>();
        var rnd = new Random(7);
        for (ulong i = 1; i <= 40; i++)
        {
            float[] v = [(float)rnd.NextDouble() - 0.5f, (float)rnd.NextDouble() - 0.5f, (float)rnd.NextDouble() - 0.5f, (float)rnd.NextDouble() - 0.5f];
            points.Add(Point(i, v, ("g", new P.Value { StringValue = "g" + (i % 4) }), ("n", new P.Value { IntegerValue = (long)i })));
        }
        await s.UpsertAsync("c", [.. points]);
        return s;
    }

    private static async Task<JsonNode> RestAsync(GrpcTestServer s, string path, string json)
    {
        using var body = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await s.Rest.PostAsync(path, body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!["result"]!;
    }

    private static void SameAsRest(IEnumerable<P.ScoredPoint> grpc, JsonNode rest)
    {
        var g = grpc.ToList();
        var r = rest.AsArray();
        Assert.Equal(r.Select(p => p!["id"]!.GetValue<ulong>()), g.Select(p => p.Id.Num));
        for (int i = 0; i < g.Count; i++) Assert.Equal(r[i]!["score"]!.GetValue<double>(), g[i].Score, 1e-5);
    }

    [Fact]
    public async Task Recommend_and_its_batch_answer_as_REST_does()
    {
        await using var s = await SeededAsync();
        foreach (var (strategy, name) in new[] { (P.RecommendStrategy.AverageVector, "average_vector"), (P.RecommendStrategy.BestScore, "best_score"), (P.RecommendStrategy.SumScores, "sum_scores") })
        {
            var r = new P.RecommendPoints { CollectionName = "c", Positive = { Id(1), Id(2) }, Negative = { Id(3) }, NegativeVectors = { Dense(0.1f, 0.2f, 0.3f, 0.4f) }, Strategy = strategy, Limit = 5, Offset = 1 };
            var grpc = (await s.Points.RecommendAsync(r, cancellationToken: Ct)).Result;
            var rest = await RestAsync(s, "/collections/c/points/recommend", $$"""{"positive":[1,2],"negative":[3,[0.1,0.2,0.3,0.4]],"strategy":"{{name}}","limit":5,"offset":1}""");
            Assert.Equal(5, grpc.Count);
            SameAsRest(grpc, rest);
        }

        var batch = new P.RecommendBatchPoints { CollectionName = "c" };
        batch.RecommendPoints.Add(new P.RecommendPoints { CollectionName = "c", Positive = { Id(4) }, Limit = 3 });
        batch.RecommendPoints.Add(new P.RecommendPoints { CollectionName = "c", PositiveVectors = { Dense(1, 0, 0, 0) }, Limit = 2, ScoreThreshold = 0.1f });
        var batched = (await s.Points.RecommendBatchAsync(batch, cancellationToken: Ct)).Result;
        var restBatch = (await RestAsync(s, "/collections/c/points/recommend/batch", """{"searches":[{"positive":[4],"limit":3},{"positive":[[1,0,0,0]],"limit":2,"score_threshold":0.1}]}""")).AsArray();
        Assert.Equal(2, batched.Count);
        SameAsRest(batched[0].Result, restBatch[0]!);
        SameAsRest(batched[1].Result, restBatch[1]!);
    }

    [Fact]
    public async Task Discover_context_and_groups_answer_as_REST_does()
    {
        await using var s = await SeededAsync();
        var pair = new P.ContextExamplePair { Positive = new P.VectorExample { Id = Id(5) }, Negative = new P.VectorExample { Vector = Dense(0, 0, 1, 0) } };
        var discover = new P.DiscoverPoints { CollectionName = "c", Target = new P.TargetVector { Single = new P.VectorExample { Id = Id(6) } }, Context = { pair }, Limit = 4 };
        SameAsRest((await s.Points.DiscoverAsync(discover, cancellationToken: Ct)).Result,
            await RestAsync(s, "/collections/c/points/discover", """{"target":6,"context":[{"positive":5,"negative":[0,0,1,0]}],"limit":4}"""));

        var context = new P.DiscoverBatchPoints { CollectionName = "c", DiscoverPoints = { new P.DiscoverPoints { CollectionName = "c", Context = { pair }, Limit = 3 } } };
        var contextResult = (await s.Points.DiscoverBatchAsync(context, cancellationToken: Ct)).Result;
        SameAsRest(Assert.Single(contextResult).Result,
            (await RestAsync(s, "/collections/c/points/discover/batch", """{"searches":[{"context":[{"positive":5,"negative":[0,0,1,0]}],"limit":3}]}""")).AsArray()[0]!);

        var search = new P.SearchPointGroups { CollectionName = "c", Vector = { 1, 0, 0, 0 }, GroupBy = "g", GroupSize = 2, Limit = 3, WithPayload = new P.WithPayloadSelector { Enable = true } };
        var groups = (await s.Points.SearchGroupsAsync(search, cancellationToken: Ct)).Result.Groups;
        var restGroups = (await RestAsync(s, "/collections/c/points/search/groups", """{"vector":[1,0,0,0],"group_by":"g","group_size":2,"limit":3,"with_payload":true}"""))["groups"]!.AsArray();
        Assert.Equal(restGroups.Select(g => g!["id"]!.GetValue<string>()), groups.Select(g => g.Id.StringValue));
        for (int i = 0; i < groups.Count; i++)
        {
            SameAsRest(groups[i].Hits, restGroups[i]!["hits"]!);
            Assert.All(groups[i].Hits, h => Assert.Equal(groups[i].Id.StringValue, h.Payload["g"].StringValue));
        }

        var reco = new P.RecommendPointGroups { CollectionName = "c", Positive = { Id(1) }, GroupBy = "n", GroupSize = 1, Limit = 2, WithLookup = new P.WithLookup { Collection = "c" } };
        var recoGroups = (await s.Points.RecommendGroupsAsync(reco, cancellationToken: Ct)).Result.Groups;
        var restReco = (await RestAsync(s, "/collections/c/points/recommend/groups", """{"positive":[1],"group_by":"n","group_size":1,"limit":2,"with_lookup":"c"}"""))["groups"]!.AsArray();
        Assert.Equal(restReco.Select(g => g!["id"]!.GetValue<long>()), recoGroups.Select(g => g.Id.IntegerValue));
        Assert.All(recoGroups, g => Assert.Equal((ulong)g.Id.IntegerValue, g.Lookup.Id.Num));
    }

    [Fact]
    public async Task Bad_legacy_requests_are_invalid_argument_and_a_missing_collection_not_found()
    {
        await using var s = await SeededAsync();
        var e = await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.RecommendAsync(new P.RecommendPoints { CollectionName = "c", Limit = 3 }, cancellationToken: Ct));
        Assert.Contains("At least one positive vector ID required", e.Status.Detail, StringComparison.Ordinal);
        e = await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.RecommendAsync(new P.RecommendPoints { CollectionName = "c", Positive = { Id(1) } }, cancellationToken: Ct));
        Assert.Contains("limit", e.Status.Detail, StringComparison.Ordinal);
        e = await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.DiscoverAsync(new P.DiscoverPoints { CollectionName = "c", Limit = 3 }, cancellationToken: Ct));
        Assert.Contains("target or context must be specified", e.Status.Detail, StringComparison.Ordinal);
        e = await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.SearchGroupsAsync(new P.SearchPointGroups { CollectionName = "c", Vector = { 1, 0, 0, 0 }, GroupSize = 1, Limit = 1 }, cancellationToken: Ct));
        Assert.Contains("group_by", e.Status.Detail, StringComparison.Ordinal);
        var nearest = new P.Query { Nearest = new P.VectorInput { Dense = new P.DenseVector { Data = { 1, 0, 0, 0 } } } };
        e = await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.QueryGroupsAsync(new P.QueryPointGroups { CollectionName = "c", Query = nearest }, cancellationToken: Ct));
        Assert.Contains("group_by: must not be empty", e.Status.Detail, StringComparison.Ordinal);
        e = await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.SearchGroupsAsync(new P.SearchPointGroups { CollectionName = "c", Vector = { 1, 0, 0 }, GroupBy = "g", GroupSize = 1, Limit = 1 }, cancellationToken: Ct));
        Assert.Contains("expected dim: 4, got 3", e.Status.Detail, StringComparison.Ordinal);
        e = await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.RecommendAsync(new P.RecommendPoints { CollectionName = "c", Positive = { Id(1) }, Using = "nope", Limit = 1 }, cancellationToken: Ct));
        Assert.Contains("Not existing vector name", e.Status.Detail, StringComparison.Ordinal);
        await FailsAsync(StatusCode.NotFound, async () => await s.Points.RecommendAsync(new P.RecommendPoints { CollectionName = "c", Positive = { Id(999) }, Limit = 1 }, cancellationToken: Ct));
        await FailsAsync(StatusCode.NotFound, async () => await s.Points.RecommendGroupsAsync(new P.RecommendPointGroups { CollectionName = "none", Positive = { Id(1) }, GroupBy = "g", GroupSize = 1, Limit = 1 }, cancellationToken: Ct));
        await FailsAsync(StatusCode.NotFound, async () => await s.Points.DiscoverBatchAsync(new P.DiscoverBatchPoints { CollectionName = "none" }, cancellationToken: Ct));
        Assert.Equal(40ul, await s.CountAsync("c"));
    }
}
