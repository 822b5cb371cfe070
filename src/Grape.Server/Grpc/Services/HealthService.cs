using Grape.Server.Grpc.Health;
using Grape.Server.Hosting;
using Grpc.Core;

namespace Grape.Server.Grpc.Services;

/// <summary>The standard grpc.health.v1 check: SERVING once storage is open (Qdrant answers SERVING whenever it is up).</summary>
internal sealed class HealthService(DatabaseHost host) : global::Grape.Server.Grpc.Health.Health.HealthBase
{
    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        Task.FromResult(new HealthCheckResponse
        {
            Status = host.IsReady ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing,
        });
}
