using Grpc.Core;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

public sealed class GrpcPayloadIndexTests
{
    private static P.Value S(string v) => new() { StringValue = v };
    private static P.Value I(long v) => new() { IntegerValue = v };

    [Fact]
    public async Task CreateFieldIndex_shows_in_payload_schema_serves_facet_and_DeleteFieldIndex_removes_it()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c", size: 2, distance: P.Distance.Dot);
        await s.UpsertAsync("c",
            Point(1, [1, 0], ("city", S("Berlin")), ("n", I(1))),
            Point(2, [0, 1], ("city", S("Paris")), ("n", I(2))),
            Point(3, [1, 1], ("city", S("Berlin")), ("n", I(2))));

        var created = await s.Points.CreateFieldIndexAsync(new P.CreateFieldIndexCollection
        {
            CollectionName = "c", FieldName = "city", FieldType = P.FieldType.Keyword, Wait = true,
        }, cancellationToken: Ct);
        Assert.Equal(P.UpdateStatus.Completed, created.Result.Status);
        await s.Points.CreateFieldIndexAsync(new P.CreateFieldIndexCollection
        {
            CollectionName = "c", FieldName = "n", Wait = true,
            FieldIndexParams = new P.PayloadIndexParams { IntegerIndexParams = new P.IntegerIndexParams { Lookup = true, Range = false } },
        }, cancellationToken: Ct);

        var info = (await s.Collections.GetAsync(new P.GetCollectionInfoRequest { CollectionName = "c" }, cancellationToken: Ct)).Result;
        Assert.Equal(P.PayloadSchemaType.Keyword, info.PayloadSchema["city"].DataType);
        Assert.Equal(3ul, info.PayloadSchema["city"].Points);
        Assert.Null(info.PayloadSchema["city"].Params);
        Assert.Equal(P.PayloadSchemaType.Integer, info.PayloadSchema["n"].DataType);
        Assert.False(info.PayloadSchema["n"].Params.IntegerIndexParams.Range);
        Assert.True(info.PayloadSchema["n"].Params.IntegerIndexParams.Lookup);

        var facet = await s.Points.FacetAsync(new P.FacetCounts { CollectionName = "c", Key = "city" }, cancellationToken: Ct);
        Assert.Equal(["Berlin:2", "Paris:1"], facet.Hits.Select(h => $"{h.Value.StringValue}:{h.Count}"));
        var ints = await s.Points.FacetAsync(new P.FacetCounts
        {
            CollectionName = "c", Key = "n", Limit = 1,
            Filter = new P.Filter { Must = { new P.Condition { Field = new P.FieldCondition { Key = "city", Match = new P.Match { Keyword = "Berlin" } } } } },
        }, cancellationToken: Ct);
        Assert.Equal("1:1", $"{ints.Hits.Single().Value.IntegerValue}:{ints.Hits.Single().Count}");

        var e = await Assert.ThrowsAsync<RpcException>(async () => await s.Points.FacetAsync(new P.FacetCounts { CollectionName = "c", Key = "nope" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("No appropriate index for faceting", e.Status.Detail);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await s.Points.CreateFieldIndexAsync(
            new P.CreateFieldIndexCollection { CollectionName = "c", FieldName = "x" }, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, missing.StatusCode);

        await s.Points.DeleteFieldIndexAsync(new P.DeleteFieldIndexCollection { CollectionName = "c", FieldName = "city", Wait = true }, cancellationToken: Ct);
        info = (await s.Collections.GetAsync(new P.GetCollectionInfoRequest { CollectionName = "c" }, cancellationToken: Ct)).Result;
        Assert.False(info.PayloadSchema.ContainsKey("city"));
    }
}
