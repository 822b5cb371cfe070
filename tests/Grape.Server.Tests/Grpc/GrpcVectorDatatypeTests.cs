using Grpc.Core;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

/// <summary>VectorParams.datatype over gRPC (Qdrant's enum numbers: Float32 1, Uint8 2, Float16 3): created, reported,
/// values stored rounded and returned as floats, scores on the stored type.</summary>
public sealed class GrpcVectorDatatypeTests
{
    private static P.PointStruct Point(ulong id, string name, params float[] v)
    {
        var named = new P.NamedVectors();
        named.Vectors[name] = new P.Vector { Dense = new P.DenseVector { Data = { v } } };
        return new P.PointStruct { Id = new P.PointId { Num = id }, Vectors = new P.Vectors { Vectors_ = named } };
    }

    [Fact]
    public async Task Datatypes_are_created_reported_and_searched_on_the_stored_type()
    {
        await using var s = await StartAsync();
        var map = new P.VectorParamsMap();
        map.Map["h"] = new P.VectorParams { Size = 2, Distance = P.Distance.Dot, Datatype = P.Datatype.Float16 };
        map.Map["b"] = new P.VectorParams { Size = 2, Distance = P.Distance.Cosine, Datatype = P.Datatype.Uint8 };
        map.Map["f"] = new P.VectorParams { Size = 2, Distance = P.Distance.Dot };
        await s.Collections.CreateAsync(new P.CreateCollection { CollectionName = "g", VectorsConfig = new P.VectorsConfig { ParamsMap = map } }, cancellationToken: Ct);
        var info = (await s.Collections.GetAsync(new P.GetCollectionInfoRequest { CollectionName = "g" }, cancellationToken: Ct)).Result.Config.Params.VectorsConfig.ParamsMap.Map;
        Assert.Equal(P.Datatype.Float16, info["h"].Datatype);
        Assert.Equal(P.Datatype.Uint8, info["b"].Datatype);
        Assert.False(info["f"].HasDatatype);

        var up = new P.UpsertPoints { CollectionName = "g", Wait = true };
        up.Points.Add(Point(1, "h", 0.1f, 2f));
        up.Points.Add(Point(2, "b", 10.9f, 0f));
        up.Points.Add(Point(3, "b", 7f, 7f));
        await s.Points.UpsertAsync(up, cancellationToken: Ct);

        var get = new P.GetPoints { CollectionName = "g", WithVectors = new P.WithVectorsSelector { Enable = true } };
        get.Ids.Add(new P.PointId { Num = 1 });
        get.Ids.Add(new P.PointId { Num = 2 });
        var got = (await s.Points.GetAsync(get, cancellationToken: Ct)).Result.OrderBy(r => r.Id.Num).ToList();
        Assert.Equal([(float)(Half)0.1f, 2f], got[0].Vectors.Vectors.Vectors["h"].Dense.Data);
        Assert.Equal([10f, 0f], got[1].Vectors.Vectors.Vectors["b"].Dense.Data);

        // uint8 cosine, computed per pair on bytes: query (1, 1) → point 3 scores 1, point 2 scores 1/√2.
        var q = new P.QueryPoints { CollectionName = "g", Using = "b", Query = new P.Query { Nearest = new P.VectorInput { Dense = new P.DenseVector { Data = { 1f, 1f } } } } };
        var hits = (await s.Points.QueryAsync(q, cancellationToken: Ct)).Result;
        Assert.Equal([3UL, 2UL], hits.Select(h => h.Id.Num));
        Assert.Equal(1f, hits[0].Score, 1e-6f);
        Assert.Equal(1f / MathF.Sqrt(2), hits[1].Score, 1e-6f);
    }

    [Fact]
    public async Task Unknown_and_unsupported_datatypes_are_refused()
    {
        await using var s = await StartAsync();
        foreach (var dt in new[] { P.Datatype.Turbo4, (P.Datatype)42 })
        {
            var create = new P.CreateCollection
            {
                CollectionName = "g",
                VectorsConfig = new P.VectorsConfig { Params = new P.VectorParams { Size = 2, Distance = P.Distance.Dot, Datatype = dt } },
            };
            var e = await Assert.ThrowsAsync<RpcException>(async () => await s.Collections.CreateAsync(create, cancellationToken: Ct));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains("datatype", e.Status.Detail, StringComparison.OrdinalIgnoreCase);
        }
        var list = await s.Collections.ListAsync(new P.ListCollectionsRequest(), cancellationToken: Ct);
        Assert.Empty(list.Collections);
    }
}
