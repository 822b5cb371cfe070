using Grape.Server.Grpc.Services;
using Grape.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Grape.Server.Grpc.Hosting;

/// <summary>Registers and maps the gRPC services (Qdrant's, grpc.health.v1, reflection, Grape's Ingest).</summary>
internal static class GrpcHosting
{
    public static void AddServices(IServiceCollection services, ServerSettings settings)
    {
        services.AddSingleton<GrpcAuthInterceptor>();
        services.AddSingleton<GrpcErrorInterceptor>();
        bool limited = settings.Grpc.MaxConcurrentCalls > 0;
        if (limited) services.AddSingleton<GrpcConcurrencyInterceptor>();
        services.AddGrpc(o =>
        {
            // service.max_request_size_mb applies to one gRPC message as it does to one REST body.
            o.MaxReceiveMessageSize = (int)Math.Min(settings.MaxRequestBytes, int.MaxValue);
            o.MaxSendMessageSize = null;
            o.EnableDetailedErrors = false;
            o.Interceptors.Add<GrpcAuthInterceptor>();   // outermost: refuse before any work
            if (limited) o.Interceptors.Add<GrpcConcurrencyInterceptor>();
            o.Interceptors.Add<GrpcErrorInterceptor>();
        });
        services.AddGrpcReflection();
    }

    /// <summary>
    /// HTTP/2 keep-alive and streams per connection from <c>grape.grpc.*</c>. Kestrel keeps one set of HTTP/2 limits
    /// for every listener; in practice they govern the gRPC port, since REST only speaks HTTP/2 over TLS.
    /// </summary>
    public static void ConfigureKestrel(KestrelServerOptions kestrel, ServerSettings settings)
    {
        var http2 = kestrel.Limits.Http2;
        http2.MaxStreamsPerConnection = settings.Grpc.MaxConcurrentStreams;
        // Pings find dead peers (a client gone without a FIN) so their connections and streams do not pile up.
        http2.KeepAlivePingDelay = settings.Grpc.KeepAliveIntervalSec > 0 ? TimeSpan.FromSeconds(settings.Grpc.KeepAliveIntervalSec) : TimeSpan.MaxValue;
        http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(settings.Grpc.KeepAliveTimeoutSec);
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
