// Search and SearchBatch are deprecated in Qdrant's protos (Query replaces them) but still served and tested.
#pragma warning disable CS0612
using Grape.Server.Grpc.Health;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

public sealed class GrpcCollectionsTests
{
    [Fact]
    public async Task HealthChecks_AnswerOverHttp2Cleartext()
    {
        await using var s = await StartAsync();
        var reply = await new P.Qdrant.QdrantClient(s.Channel).HealthCheckAsync(new P.HealthCheckRequest(), cancellationToken: Ct);
        Assert.Equal("1.19.0", reply.Version);
        Assert.StartsWith("grape", reply.Title, StringComparison.Ordinal);
        var health = await new Health.HealthClient(s.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task Reflection_ListsEveryService()
    {
        await using var s = await StartAsync();
        using var call = new ServerReflection.ServerReflectionClient(s.Channel).ServerReflectionInfo(cancellationToken: Ct);
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(x => x.Name).ToHashSet();
        foreach (var expected in new[] { "qdrant.Qdrant", "qdrant.Collections", "qdrant.Points", "qdrant.Snapshots", "grpc.health.v1.Health", "grape.Ingest" })
            Assert.Contains(expected, names);
    }

    [Fact]
    public async Task Collections_CreateGetListExistsAliasesDelete()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("books", size: 3, distance: P.Distance.Cosine);
        var info = (await s.Collections.GetAsync(new P.GetCollectionInfoRequest { CollectionName = "books" }, cancellationToken: Ct)).Result;
        Assert.Equal(3ul, info.Config.Params.VectorsConfig.Params.Size);
        Assert.Equal(P.Distance.Cosine, info.Config.Params.VectorsConfig.Params.Distance);
        Assert.Equal(0ul, info.PointsCount);

        var list = await s.Collections.ListAsync(new P.ListCollectionsRequest(), cancellationToken: Ct);
        Assert.Equal(["books"], list.Collections.Select(c => c.Name));
        Assert.True((await s.Collections.CollectionExistsAsync(new P.CollectionExistsRequest { CollectionName = "books" }, cancellationToken: Ct)).Result.Exists);
        Assert.False((await s.Collections.CollectionExistsAsync(new P.CollectionExistsRequest { CollectionName = "nope" }, cancellationToken: Ct)).Result.Exists);

        var aliases = new P.ChangeAliases();
        aliases.Actions.Add(new P.AliasOperations { CreateAlias = new P.CreateAlias { AliasName = "library", CollectionName = "books" } });
        Assert.True((await s.Collections.UpdateAliasesAsync(aliases, cancellationToken: Ct)).Result);
        var all = await s.Collections.ListAliasesAsync(new P.ListAliasesRequest(), cancellationToken: Ct);
        Assert.Equal(("library", "books"), (all.Aliases.Single().AliasName, all.Aliases.Single().CollectionName));
        var forBooks = await s.Collections.ListCollectionAliasesAsync(new P.ListCollectionAliasesRequest { CollectionName = "books" }, cancellationToken: Ct);
        Assert.Single(forBooks.Aliases);

        var update = new P.UpdateCollection { CollectionName = "books", OptimizersConfig = new P.OptimizersConfigDiff { IndexingThreshold = 20000 } };
        Assert.True((await s.Collections.UpdateAsync(update, cancellationToken: Ct)).Result);
        info = (await s.Collections.GetAsync(new P.GetCollectionInfoRequest { CollectionName = "books" }, cancellationToken: Ct)).Result;
        Assert.Equal(20000ul, info.Config.OptimizerConfig.IndexingThreshold);

        Assert.True((await s.Collections.DeleteAsync(new P.DeleteCollection { CollectionName = "books" }, cancellationToken: Ct)).Result);
        Assert.Empty((await s.Collections.ListAsync(new P.ListCollectionsRequest(), cancellationToken: Ct)).Collections);
    }

    [Fact]
    public async Task DuplicateCreate_IsAlreadyExists_AndKeepsTheFirstCollection()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c", size: 4);
        await s.UpsertAsync("c", Point(1, [1, 0, 0, 0]));
        var e = await FailsAsync(StatusCode.AlreadyExists, () => s.CreateAsync("c", size: 8));
        Assert.Contains("already exists", e.Status.Detail, StringComparison.OrdinalIgnoreCase);
        var info = (await s.Collections.GetAsync(new P.GetCollectionInfoRequest { CollectionName = "c" }, cancellationToken: Ct)).Result;
        Assert.Equal(4ul, info.Config.Params.VectorsConfig.Params.Size);
        Assert.Equal(1ul, await s.CountAsync("c"));
    }

    [Fact]
    public async Task UnknownCollection_IsNotFound()
    {
        await using var s = await StartAsync();
        await FailsAsync(StatusCode.NotFound, async () => await s.Collections.GetAsync(new P.GetCollectionInfoRequest { CollectionName = "missing" }, cancellationToken: Ct));
        await FailsAsync(StatusCode.NotFound, () => s.UpsertAsync("missing", Point(1, [1, 2, 3, 4])));
        var search = new P.SearchPoints { CollectionName = "missing", Limit = 3 };
        search.Vector.Add([1f, 2, 3, 4]);
        await FailsAsync(StatusCode.NotFound, async () => await s.Points.SearchAsync(search, cancellationToken: Ct));
    }

    [Fact]
    public async Task BadCreateRequests_AreInvalidArgument()
    {
        await using var s = await StartAsync();
        await FailsAsync(StatusCode.InvalidArgument, () => s.CreateAsync("bad/name"));
        await FailsAsync(StatusCode.InvalidArgument, () => s.CreateAsync("zero", size: 0));
        await FailsAsync(StatusCode.InvalidArgument, () => s.CreateAsync("nodist", distance: P.Distance.UnknownDistance));
        Assert.Empty((await s.Collections.ListAsync(new P.ListCollectionsRequest(), cancellationToken: Ct)).Collections);
    }

    [Fact]
    public async Task Snapshots_AndClusterRpcs_AreUnimplemented()
    {
        await using var s = await StartAsync();
        await s.CreateAsync("c");
        var snapshots = new P.Snapshots.SnapshotsClient(s.Channel);
        await FailsAsync(StatusCode.Unimplemented, async () => await snapshots.CreateAsync(new P.CreateSnapshotRequest { CollectionName = "c" }, cancellationToken: Ct));
        await FailsAsync(StatusCode.Unimplemented, async () => await snapshots.ListFullAsync(new P.ListFullSnapshotsRequest(), cancellationToken: Ct));
        await FailsAsync(StatusCode.Unimplemented, async () => await s.Collections.CollectionClusterInfoAsync(new P.CollectionClusterInfoRequest { CollectionName = "c" }, cancellationToken: Ct));
        await FailsAsync(StatusCode.Unimplemented, async () => await s.Points.CreateVectorNameAsync(new P.CreateVectorNameRequest { CollectionName = "c", VectorName = "v" }, cancellationToken: Ct));
        await FailsAsync(StatusCode.Unimplemented, async () => await s.Points.DeleteVectorNameAsync(new P.DeleteVectorNameRequest { CollectionName = "c", VectorName = "v" }, cancellationToken: Ct));
    }
}
