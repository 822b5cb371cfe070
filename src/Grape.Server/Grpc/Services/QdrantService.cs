using Grape.Server.Rest.Endpoints;
using Grpc.Core;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Services;

/// <summary><c>qdrant.Qdrant/HealthCheck</c>: the same title and version as REST's <c>GET /</c>.</summary>
internal sealed class QdrantService : P.Qdrant.QdrantBase
{
    public override Task<P.HealthCheckReply> HealthCheck(P.HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new P.HealthCheckReply { Title = "grape - vector search engine (Qdrant-compatible)", Version = ServiceEndpoints.QdrantApiVersion });
}
