using Grape.Core.Errors;
using Grape.Server.Errors;
using Grape.Server.Grpc.Health;
using Grape.Server.Grpc.Hosting;
using Grpc.Core;
using P = Qdrant.Client.Grpc;
using static Grape.Server.Tests.Grpc.GrpcTestServer;

namespace Grape.Server.Tests.Grpc;

public sealed class GrpcAuthTests
{
    [Fact]
    public async Task ApiKeys_FromMetadata_FollowQdrantsRules()
    {
        await using var s = await StartAsync(c => c with { ApiKey = "full-key", ReadOnlyApiKey = "read-key" });
        // Health needs no key.
        await new P.Qdrant.QdrantClient(s.Channel).HealthCheckAsync(new P.HealthCheckRequest(), cancellationToken: Ct);
        await new Health.HealthClient(s.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);

        var create = new P.CreateCollection { CollectionName = "c", VectorsConfig = new P.VectorsConfig { Params = new P.VectorParams { Size = 2, Distance = P.Distance.Dot } } };
        var e = await FailsAsync(StatusCode.Unauthenticated, async () => await s.Collections.CreateAsync(create, cancellationToken: Ct));
        Assert.Contains("Must provide an API key", e.Status.Detail, StringComparison.Ordinal);
        await FailsAsync(StatusCode.Unauthenticated, async () => await s.Collections.CreateAsync(create, new Metadata { { "api-key", "wrong" } }, cancellationToken: Ct));
        var forbidden = await FailsAsync(StatusCode.PermissionDenied, async () => await s.Collections.CreateAsync(create, new Metadata { { "api-key", "read-key" } }, cancellationToken: Ct));
        Assert.StartsWith("Forbidden", forbidden.Status.Detail, StringComparison.Ordinal);
        Assert.True((await s.Collections.CreateAsync(create, new Metadata { { "authorization", "Bearer full-key" } }, cancellationToken: Ct)).Result);

        // The read-only key reads but cannot write.
        var list = await s.Collections.ListAsync(new P.ListCollectionsRequest(), new Metadata { { "api-key", "read-key" } }, cancellationToken: Ct);
        Assert.Single(list.Collections);
        var upsert = new P.UpsertPoints { CollectionName = "c", Points = { Point(1, [1, 2]) } };
        await FailsAsync(StatusCode.PermissionDenied, async () => await s.Points.UpsertAsync(upsert, new Metadata { { "api-key", "read-key" } }, cancellationToken: Ct));
        var count = await s.Points.CountAsync(new P.CountPoints { CollectionName = "c" }, new Metadata { { "api-key", "read-key" } }, cancellationToken: Ct);
        Assert.Equal(0ul, count.Result.Count);
    }

    [Theory]
    [InlineData("bad", StatusCode.InvalidArgument)]
    [InlineData("notfound", StatusCode.NotFound)]
    [InlineData("exists", StatusCode.AlreadyExists)]
    [InlineData("timeout", StatusCode.DeadlineExceeded)]
    [InlineData("closed", StatusCode.Unavailable)]
    [InlineData("notready", StatusCode.Unavailable)]
    [InlineData("validation", StatusCode.InvalidArgument)]
    [InlineData("bug", StatusCode.Internal)]
    public void Exceptions_MapToQdrantsStatusCodes(string kind, StatusCode expected)
    {
        Exception e = kind switch
        {
            "bad" => new BadRequestException("wrong dimension"),
            "notfound" => new CollectionNotFoundException("x"),
            "exists" => new AlreadyExistsException("x"),
            "timeout" => new OperationCanceledException(),
            "closed" => new GrapeClosedException(),
            "notready" => new ServiceNotReadyException("loading"),
            "validation" => RequestException.NotSupported("x"),
            _ => new InvalidOperationException("bug"),
        };
        Assert.Equal(expected, GrpcErrorInterceptor.ToStatusCode(e));
    }
}
