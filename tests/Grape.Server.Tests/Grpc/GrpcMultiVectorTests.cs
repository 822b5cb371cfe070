using Grpc.Core;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

/// <summary>Multivectors over gRPC: VectorParams.multivector_config, Vector.multi_dense and the legacy flat form,
/// VectorOutput.multi_dense, VectorInput.multi_dense.</summary>
public sealed class GrpcMultiVectorTests
{
    private static P.MultiDenseVector Multi(params float[][] rows)
    {
        var m = new P.MultiDenseVector();
        foreach (var r in rows) m.Vectors.Add(new P.DenseVector { Data = { r } });
        return m;
    }

    private static P.PointStruct Point(ulong id, P.Vector v)
    {
        var named = new P.NamedVectors();
        named.Vectors["m"] = v;
        return new P.PointStruct { Id = new P.PointId { Num = id }, Vectors = new P.Vectors { Vectors_ = named } };
    }

    [Fact]
    public async Task Multivectors_are_created_written_read_and_queried()
    {
        await using var s = await StartAsync();
        var map = new P.VectorParamsMap();
        map.Map["m"] = new P.VectorParams { Size = 2, Distance = P.Distance.Dot, MultivectorConfig = new P.MultiVectorConfig { Comparator = P.MultiVectorComparator.MaxSim } };
        await s.Collections.CreateAsync(new P.CreateCollection { CollectionName = "g", VectorsConfig = new P.VectorsConfig { ParamsMap = map } }, cancellationToken: Ct);
        var info = await s.Collections.GetAsync(new P.GetCollectionInfoRequest { CollectionName = "g" }, cancellationToken: Ct);
        Assert.Equal(P.MultiVectorComparator.MaxSim, info.Result.Config.Params.VectorsConfig.ParamsMap.Map["m"].MultivectorConfig.Comparator);

#pragma warning disable CS0612 // the deprecated flat form old clients send
        var legacy = new P.Vector { Data = { 0.5f, 0.5f, 1, 0 }, VectorsCount = 2 };
#pragma warning restore CS0612
        var up = new P.UpsertPoints { CollectionName = "g", Wait = true };
        up.Points.Add(Point(1, new P.Vector { MultiDense = Multi([1, 0], [0, 1]) }));
        up.Points.Add(Point(2, legacy));
        await s.Points.UpsertAsync(up, cancellationToken: Ct);

        var get = new P.GetPoints { CollectionName = "g", WithVectors = new P.WithVectorsSelector { Enable = true } };
        get.Ids.Add(new P.PointId { Num = 2 });
        var got = (await s.Points.GetAsync(get, cancellationToken: Ct)).Result[0].Vectors.Vectors.Vectors["m"];
        Assert.Equal(P.VectorOutput.VectorOneofCase.MultiDense, got.VectorCase);
        Assert.Equal([0.5f, 0.5f], got.MultiDense.Vectors[0].Data);
        Assert.Equal([1f, 0f], got.MultiDense.Vectors[1].Data);

        // Query rows (1,0), (0,1): point 1 → 2, point 2 → max(0.5, 1) + max(0.5, 0) = 1.5.
        var q = new P.QueryPoints
        {
            CollectionName = "g",
            Using = "m",
            Query = new P.Query { Nearest = new P.VectorInput { MultiDense = Multi([1, 0], [0, 1]) } },
        };
        var hits = (await s.Points.QueryAsync(q, cancellationToken: Ct)).Result;
        Assert.Equal([1UL, 2UL], hits.Select(h => h.Id.Num));
        Assert.Equal(2f, hits[0].Score, 1e-6f);
        Assert.Equal(1.5f, hits[1].Score, 1e-6f);

        var bad = new P.QueryPoints { CollectionName = "g", Using = "m", Query = new P.Query { Nearest = new P.VectorInput { MultiDense = Multi([1, 0, 0]) } } };
        var e = await Assert.ThrowsAsync<RpcException>(async () => await s.Points.QueryAsync(bad, cancellationToken: Ct));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("expected dim: 2, got 3", e.Status.Detail, StringComparison.Ordinal);
    }
}
