// Search and SearchBatch are deprecated in Qdrant's protos (Query replaces them) but still served and tested.
#pragma warning disable CS0612
using System.Text.Json.Nodes;
using Grpc.Core;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

public sealed class GrpcPointsTests
{
    private static P.Value S(string v) => new() { StringValue = v };
    private static P.Value I(long v) => new() { IntegerValue = v };
    private static P.Value D(double v) => new() { DoubleValue = v };

    private static P.PointsSelector Ids(params ulong[] ids)
    {
        var list = new P.PointsIdsList();
        foreach (var id in ids) list.Ids.Add(new P.PointId { Num = id });
        return new P.PointsSelector { Points = list };
    }

    private static P.Filter CityIs(string city) => new()
    {
        Must = { new P.Condition { Field = new P.FieldCondition { Key = "city", Match = new P.Match { Keyword = city } } } },
    };

    private static async Task<GrpcTestServer> SeededAsync()
    {
        var s = await StartAsync();
        await s.CreateAsync("c", size: 4, distance: P.Distance.Dot);
        await s.UpsertAsync("c",
            Point(1, [1, 0, 0, 0], ("city", S("Berlin")), ("n", I(1))),
            Point(2, [0, 1, 0, 0], ("city", S("Paris")), ("n", I(2))),
            Point(3, [0.9f, 0.1f, 0, 0], ("city", S("Berlin")), ("n", I(3))),
            Point(4, [0, 0, 1, 0], ("city", S("Rome")), ("n", I(4))));
        return s;
    }

    private async static Task<P.RetrievedPoint> GetOneAsync(GrpcTestServer s, ulong id)
    {
        var get = new P.GetPoints { CollectionName = "c", WithPayload = new P.WithPayloadSelector { Enable = true }, WithVectors = new P.WithVectorsSelector { Enable = true } };
        get.Ids.Add(new P.PointId { Num = id });
        return (await s.Points.GetAsync(get, cancellationToken: Ct)).Result.Single();
    }

    [Fact]
    public async Task Upsert_Get_RoundTripsVectorAndPayloadKinds()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c", size: 4);
        var nested = new P.Struct();
        nested.Fields["deep"] = new P.Value { ListValue = new P.ListValue { Values = { I(7), D(7.5), new P.Value { NullValue = P.NullValue.NullValue } } } };
        await s.UpsertAsync("c", Point(9, [0.5f, 1, 2, 3], ("i", I(42)), ("d", D(2.0)), ("b", new P.Value { BoolValue = true }), ("o", new P.Value { StructValue = nested })));
        var p = await GetOneAsync(s, 9);
        Assert.Equal(9ul, p.Id.Num);
        Assert.Equal([0.5f, 1, 2, 3], p.Vectors.Vector.Dense.Data);
        Assert.Equal(P.Value.KindOneofCase.IntegerValue, p.Payload["i"].KindCase);
        Assert.Equal(42, p.Payload["i"].IntegerValue);
        Assert.Equal(P.Value.KindOneofCase.DoubleValue, p.Payload["d"].KindCase);  // 2.0 stays a double
        Assert.True(p.Payload["b"].BoolValue);
        var deep = p.Payload["o"].StructValue.Fields["deep"].ListValue.Values;
        Assert.Equal([P.Value.KindOneofCase.IntegerValue, P.Value.KindOneofCase.DoubleValue, P.Value.KindOneofCase.NullValue], deep.Select(v => v.KindCase));

        // REST reads the same point with the same payload.
        var rest = JsonNode.Parse(await s.Rest.GetStringAsync("/collections/c/points/9", Ct))!["result"]!;
        Assert.Equal(42, rest["payload"]!["i"]!.GetValue<long>());
        Assert.Equal(7.5, rest["payload"]!["o"]!["deep"]![1]!.GetValue<double>());
    }

    [Fact]
    public async Task Search_WithFilter_MatchesRestExactly()
    {
        await using var s = await SeededAsync();
        var search = new P.SearchPoints { CollectionName = "c", Limit = 10, Filter = CityIs("Berlin"), WithPayload = new P.WithPayloadSelector { Enable = true } };
        search.Vector.Add([1f, 0, 0, 0]);
        var grpc = (await s.Points.SearchAsync(search, cancellationToken: Ct)).Result;
        Assert.Equal([1ul, 3ul], grpc.Select(p => p.Id.Num));
        Assert.Equal("Berlin", grpc[0].Payload["city"].StringValue);

        using var body = new StringContent("""{"vector":[1,0,0,0],"limit":10,"filter":{"must":[{"key":"city","match":{"value":"Berlin"}}]},"with_payload":true}""", System.Text.Encoding.UTF8, "application/json");
        var rest = JsonNode.Parse(await (await s.Rest.PostAsync("/collections/c/points/search", body, Ct)).Content.ReadAsStringAsync(Ct))!["result"]!.AsArray();
        Assert.Equal(rest.Select(r => r!["id"]!.GetValue<ulong>()), grpc.Select(p => p.Id.Num));
        Assert.Equal(rest.Select(r => r!["score"]!.GetValue<float>()), grpc.Select(p => p.Score));

        var batch = new P.SearchBatchPoints { CollectionName = "c" };
        batch.SearchPoints.Add(search);
        var other = new P.SearchPoints { CollectionName = "c", Limit = 1 };
        other.Vector.Add([0f, 0, 1, 0]);
        batch.SearchPoints.Add(other);
        var results = (await s.Points.SearchBatchAsync(batch, cancellationToken: Ct)).Result;
        Assert.Equal([1ul, 3ul], results[0].Result.Select(p => p.Id.Num));
        Assert.Equal([4ul], results[1].Result.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task Scroll_PagesInIdOrder_AndCountFilters()
    {
        await using var s = await SeededAsync();
        var first = await s.Points.ScrollAsync(new P.ScrollPoints { CollectionName = "c", Limit = 3 }, cancellationToken: Ct);
        Assert.Equal([1ul, 2ul, 3ul], first.Result.Select(p => p.Id.Num));
        Assert.Equal("Berlin", first.Result[0].Payload["city"].StringValue); // scroll returns payload by default
        Assert.Equal(4ul, first.NextPageOffset.Num);
        var second = await s.Points.ScrollAsync(new P.ScrollPoints { CollectionName = "c", Limit = 3, Offset = first.NextPageOffset }, cancellationToken: Ct);
        Assert.Equal([4ul], second.Result.Select(p => p.Id.Num));
        Assert.Null(second.NextPageOffset);

        Assert.Equal(4ul, await s.CountAsync("c"));
        var counted = await s.Points.CountAsync(new P.CountPoints { CollectionName = "c", Filter = CityIs("Berlin"), Exact = true }, cancellationToken: Ct);
        Assert.Equal(2ul, counted.Result.Count);
        var range = new P.Filter { Must = { new P.Condition { Field = new P.FieldCondition { Key = "n", Range = new P.Range { Gte = 2, Lt = 4 } } } } };
        var scrolled = await s.Points.ScrollAsync(new P.ScrollPoints { CollectionName = "c", Filter = range, Limit = 10 }, cancellationToken: Ct);
        Assert.Equal([2ul, 3ul], scrolled.Result.Select(p => p.Id.Num));
        var not = new P.Filter { MustNot = { new P.Condition { HasId = new P.HasIdCondition { HasId = { new P.PointId { Num = 1 } } } } } };
        Assert.Equal(3ul, (await s.Points.CountAsync(new P.CountPoints { CollectionName = "c", Filter = not }, cancellationToken: Ct)).Result.Count);
    }

    [Fact]
    public async Task PayloadOperations_SetOverwriteDeleteClear()
    {
        await using var s = await SeededAsync();
        var set = new P.SetPayloadPoints { CollectionName = "c", Wait = true, PointsSelector = Ids(1) };
        set.Payload["tag"] = S("new");
        await s.Points.SetPayloadAsync(set, cancellationToken: Ct);
        var p = await GetOneAsync(s, 1);
        Assert.Equal(["city", "n", "tag"], p.Payload.Keys.Order());

        var overwrite = new P.SetPayloadPoints { CollectionName = "c", Wait = true, PointsSelector = new P.PointsSelector { Filter = CityIs("Paris") } };
        overwrite.Payload["only"] = I(5);
        await s.Points.OverwritePayloadAsync(overwrite, cancellationToken: Ct);
        Assert.Equal(["only"], (await GetOneAsync(s, 2)).Payload.Keys);

        var del = new P.DeletePayloadPoints { CollectionName = "c", Wait = true, PointsSelector = Ids(1) };
        del.Keys.Add("tag");
        await s.Points.DeletePayloadAsync(del, cancellationToken: Ct);
        Assert.Equal(["city", "n"], (await GetOneAsync(s, 1)).Payload.Keys.Order());

        await s.Points.ClearPayloadAsync(new P.ClearPayloadPoints { CollectionName = "c", Wait = true, Points = Ids(3) }, cancellationToken: Ct);
        Assert.Empty((await GetOneAsync(s, 3)).Payload);
    }

    [Fact]
    public async Task DeleteUpdateVectorsAndBatch()
    {
        await using var s = await SeededAsync();
        var delete = await s.Points.DeleteAsync(new P.DeletePoints { CollectionName = "c", Wait = true, Points = Ids(4) }, cancellationToken: Ct);
        Assert.Equal(P.UpdateStatus.Completed, delete.Result.Status);
        Assert.Equal(3ul, await s.CountAsync("c"));

        var upd = new P.UpdatePointVectors { CollectionName = "c", Wait = true };
        var v = new P.Vector { Dense = new P.DenseVector { Data = { 0f, 0, 0, 1 } } };
        upd.Points.Add(new P.PointVectors { Id = new P.PointId { Num = 2 }, Vectors = new P.Vectors { Vector = v } });
        await s.Points.UpdateVectorsAsync(upd, cancellationToken: Ct);
        Assert.Equal([0f, 0, 0, 1], (await GetOneAsync(s, 2)).Vectors.Vector.Dense.Data);

        var batch = new P.UpdateBatchPoints { CollectionName = "c", Wait = true };
        batch.Operations.Add(new P.PointsUpdateOperation { Upsert = new P.PointsUpdateOperation.Types.PointStructList { Points = { Point(10, [1, 1, 1, 1]) } } });
        batch.Operations.Add(new P.PointsUpdateOperation { DeletePoints = new P.PointsUpdateOperation.Types.DeletePoints { Points = Ids(1) } });
        var results = (await s.Points.UpdateBatchAsync(batch, cancellationToken: Ct)).Result;
        Assert.Equal(2, results.Count);
        Assert.True(results[1].OperationId > results[0].OperationId);
        var all = await s.Points.ScrollAsync(new P.ScrollPoints { CollectionName = "c", Limit = 10 }, cancellationToken: Ct);
        Assert.Equal([2ul, 3ul, 10ul], all.Result.Select(p => p.Id.Num));
    }

    [Fact]
    public async Task Query_forms_over_gRPC_answer_as_REST_does()
    {
        await using var s = await SeededAsync();
        var byVector = new P.QueryPoints { CollectionName = "c", Limit = 2, Query = new P.Query { Nearest = new P.VectorInput { Dense = new P.DenseVector { Data = { 1f, 0, 0, 0 } } } } };
        Assert.Equal([1ul, 3ul], (await s.Points.QueryAsync(byVector, cancellationToken: Ct)).Result.Select(p => p.Id.Num));

        var byId = new P.QueryPoints { CollectionName = "c", Limit = 1, Query = new P.Query { Nearest = new P.VectorInput { Id = new P.PointId { Num = 1 } } } };
        Assert.Equal([3ul], (await s.Points.QueryAsync(byId, cancellationToken: Ct)).Result.Select(p => p.Id.Num)); // the query point itself is left out

        var batch = new P.QueryBatchPoints { CollectionName = "c", QueryPoints = { byVector, byId } };
        var batched = (await s.Points.QueryBatchAsync(batch, cancellationToken: Ct)).Result;
        Assert.Equal([[1ul, 3ul], [3ul]], batched.Select(b => b.Result.Select(p => p.Id.Num).ToArray()));

        using var body = new StringContent("""{"query":[1,0,0,0],"limit":2}""", System.Text.Encoding.UTF8, "application/json");
        var rest = JsonNode.Parse(await (await s.Rest.PostAsync("/collections/c/points/query", body, Ct)).Content.ReadAsStringAsync(Ct))!["result"]!["points"]!.AsArray();
        Assert.Equal(rest.Select(r => r!["id"]!.GetValue<ulong>()), [1ul, 3ul]);

        var recommend = new P.QueryPoints { CollectionName = "c", Query = new P.Query { Recommend = new P.RecommendInput { Positive = { new P.VectorInput { Id = new P.PointId { Num = 1 } } }, Strategy = P.RecommendStrategy.BestScore } } };
        var grpcReco = (await s.Points.QueryAsync(recommend, cancellationToken: Ct)).Result;
        using var recoBody = new StringContent("""{"query":{"recommend":{"positive":[1],"strategy":"best_score"}}}""", System.Text.Encoding.UTF8, "application/json");
        var restReco = JsonNode.Parse(await (await s.Rest.PostAsync("/collections/c/points/query", recoBody, Ct)).Content.ReadAsStringAsync(Ct))!["result"]!["points"]!.AsArray();
        Assert.Equal(restReco.Select(r => r!["id"]!.GetValue<ulong>()), grpcReco.Select(p => p.Id.Num));
        Assert.Equal(restReco.Select(r => r!["score"]!.GetValue<float>()), grpcReco.Select(p => p.Score));

        var fusion = new P.QueryPoints { CollectionName = "c", Prefetch = { new P.PrefetchQuery { Query = byVector.Query, Limit = 3 }, new P.PrefetchQuery() }, Query = new P.Query { Fusion = P.Fusion.Rrf } };
        Assert.NotEmpty((await s.Points.QueryAsync(fusion, cancellationToken: Ct)).Result);
        var e = await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.QueryAsync(new P.QueryPoints { CollectionName = "c", Query = new P.Query { Fusion = P.Fusion.Rrf } }, cancellationToken: Ct));
        Assert.Contains("cannot apply Fusion without prefetches", e.Status.Detail, StringComparison.Ordinal);
        await FailsAsync(StatusCode.NotFound, async () => await s.Points.QueryAsync(new P.QueryPoints { CollectionName = "c", Query = new P.Query { Nearest = new P.VectorInput { Id = new P.PointId { Num = 99 } } } }, cancellationToken: Ct));
    }

    [Fact]
    public async Task WrongDimension_IsInvalidArgument_AndDataUnchanged()
    {
        await using var s = await SeededAsync();
        var e = await FailsAsync(StatusCode.InvalidArgument, () => s.UpsertAsync("c", Point(1, [9, 9, 9]), Point(50, [1, 2, 3])));
        Assert.False(string.IsNullOrEmpty(e.Status.Detail));
        Assert.Equal(4ul, await s.CountAsync("c"));
        Assert.Equal([1f, 0, 0, 0], (await GetOneAsync(s, 1)).Vectors.Vector.Dense.Data);

        var search = new P.SearchPoints { CollectionName = "c", Limit = 1 };
        search.Vector.Add([1f, 2]);
        await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.SearchAsync(search, cancellationToken: Ct));
        // Malformed messages: no vectors, no selector, a zero limit.
        await FailsAsync(StatusCode.InvalidArgument, () => s.UpsertAsync("c", new P.PointStruct { Id = new P.PointId { Num = 77 } }));
        await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.DeleteAsync(new P.DeletePoints { CollectionName = "c" }, cancellationToken: Ct));
        var zero = new P.SearchPoints { CollectionName = "c", Limit = 0 };
        zero.Vector.Add([1f, 0, 0, 0]);
        await FailsAsync(StatusCode.InvalidArgument, async () => await s.Points.SearchAsync(zero, cancellationToken: Ct));
        await FailsAsync(StatusCode.InvalidArgument, () => s.UpsertAsync("c", new P.PointStruct { Id = new P.PointId { Uuid = "not-a-uuid" }, Vectors = Point(1, [1, 1, 1, 1]).Vectors }));
        Assert.Equal(4ul, await s.CountAsync("c"));
    }

    [Fact]
    public async Task MessageOverMaxRequestSize_IsResourceExhausted()
    {
        await using var s = await StartAsync(c => c with { MaxRequestSizeMb = 1 });
        await s.CreateAsync("big", size: 1024);
        var points = Enumerable.Range(0, 300).Select(i => Point((ulong)i, new float[1024])).ToArray(); // ~1.2 MB
        await FailsAsync(StatusCode.ResourceExhausted, () => s.UpsertAsync("big", points));
        Assert.Equal(0ul, await s.CountAsync("big"));
    }
}
