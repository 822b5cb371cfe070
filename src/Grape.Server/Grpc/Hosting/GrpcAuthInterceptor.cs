using Grape.Server.Auth;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Grape.Server.Grpc.Hosting;

/// <summary>
/// Qdrant's api-key rules over gRPC: the key comes from metadata <c>api-key</c> or <c>authorization: Bearer</c>;
/// missing or wrong → UNAUTHENTICATED; the read-only key on a write → PERMISSION_DENIED. Health checks are open.
/// Uses the same <see cref="ApiKeyValidator"/> as REST.
/// </summary>
internal sealed class GrpcAuthInterceptor(ApiKeyValidator validator) : Interceptor
{
    // Every RPC that only reads; anything not listed (and not open) needs the full key.
    private static readonly HashSet<string> ReadMethods = new(StringComparer.Ordinal)
    {
        "/qdrant.Collections/Get", "/qdrant.Collections/List", "/qdrant.Collections/ListCollectionAliases",
        "/qdrant.Collections/ListAliases", "/qdrant.Collections/CollectionExists", "/qdrant.Collections/CollectionClusterInfo",
        "/qdrant.Collections/ListShardKeys",
        "/qdrant.Points/Get", "/qdrant.Points/Search", "/qdrant.Points/SearchBatch", "/qdrant.Points/SearchGroups",
        "/qdrant.Points/Scroll", "/qdrant.Points/Recommend", "/qdrant.Points/RecommendBatch", "/qdrant.Points/RecommendGroups",
        "/qdrant.Points/Discover", "/qdrant.Points/DiscoverBatch", "/qdrant.Points/Count", "/qdrant.Points/Query",
        "/qdrant.Points/QueryBatch", "/qdrant.Points/QueryGroups", "/qdrant.Points/Facet",
        "/qdrant.Points/SearchMatrixPairs", "/qdrant.Points/SearchMatrixOffsets",
        "/qdrant.Snapshots/List", "/qdrant.Snapshots/ListFull",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    };

    private static readonly HashSet<string> OpenMethods = new(StringComparer.Ordinal)
    {
        "/qdrant.Qdrant/HealthCheck", "/grpc.health.v1.Health/Check",
    };

    public static AccessLevel LevelOf(string method) =>
        OpenMethods.Contains(method) ? AccessLevel.Open : ReadMethods.Contains(method) ? AccessLevel.Read : AccessLevel.Write;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        if (!validator.Enabled) return;
        var level = LevelOf(context.Method);
        if (level == AccessLevel.Open) return;
        string? key = context.RequestHeaders.GetValue("api-key");
        if (key is null && context.RequestHeaders.GetValue("authorization") is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal))
            key = auth["Bearer ".Length..];
        if (key is null) throw new RpcException(new Status(StatusCode.Unauthenticated, "Must provide an API key or an Authorization bearer token"));
        var granted = validator.Check(key) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "Invalid API key or JWT"));
        if (granted == AccessLevel.Read && level == AccessLevel.Write)
            throw new RpcException(new Status(StatusCode.PermissionDenied, "Forbidden: Global manage access is required"));
    }
}
