using Grape.Server.Grpc.Services;
using Grape.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Grape.Server.Grpc.Hosting;

/// <summary>Registers and maps the gRPC services (Qdrant's, grpc.health.v1, reflection, Grape's Ingest).</summary>
internal static class GrpcHosting
{
    public static void AddServices(IServiceCollection services, ServerSettings settings)
    {
        services.AddSingleton<GrpcAuthInterceptor>();
        services.AddSingleton<GrpcErrorInterceptor>();
        services.AddGrpc(o =>
        {
            // service.max_request_size_mb applies to one gRPC message as it does to one REST body.
            o.MaxReceiveMessageSize = (int)Math.Min(settings.MaxRequestBytes, int.MaxValue);
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = false;
            o.Interceptors.Add<GrpcAuthInterceptor>();   // outermost: refuse before any work
            o.Interceptors.Add<GrpcErrorInterceptor>();
        });
        services.AddGrpcReflection();
    }

    public static void Map(WebApplication app)
    {
        app.MapGrpcService<QdrantService>();
        app.MapGrpcService<HealthService>();
        app.MapGrpcService<CollectionsService>();
        app.MapGrpcService<PointsService>();
        app.MapGrpcService<SnapshotsService>();
        app.MapGrpcService<IngestService>();
        app.MapGrpcReflectionService();
    }

    /// <summary>True for every request that is not a gRPC call (gRPC always sends content-type application/grpc[+proto]).</summary>
    public static bool IsRest(HttpContext context) =>
        context.Request.ContentType is not { } ct || !ct.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
