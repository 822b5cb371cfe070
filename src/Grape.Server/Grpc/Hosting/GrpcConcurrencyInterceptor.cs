using System.Threading.RateLimiting;
using Grape.Server.Auth;
using Grape.Server.Hosting;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Grape.Server.Grpc.Hosting;

/// <summary>
/// The server-wide cap on gRPC calls (<c>grape.grpc.max_concurrent_calls</c>): a call holds one slot from the moment
/// its handler starts until it ends (a streaming call, such as an Ingest stream, for its whole life). With every slot
/// taken a call waits, oldest first, if fewer than <c>grape.grpc.max_queued_calls</c> are already waiting; otherwise it
/// is refused at once with RESOURCE_EXHAUSTED, before any work. A waiting call leaves the queue when its client
/// cancels or its deadline passes. Health checks never count, so probes still answer under load. Registered only
/// when the limit is set; sits after the auth check (an unauthenticated call never takes a slot).
/// </summary>
internal sealed class GrpcConcurrencyInterceptor : Interceptor, IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly GrpcSettings _settings;

    public GrpcConcurrencyInterceptor(ServerSettings settings)
    {
        _settings = settings.Grpc;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _settings.MaxConcurrentCalls,
            QueueLimit = _settings.MaxQueuedCalls,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var slot = await EnterAsync(context).ConfigureAwait(false);
        return await continuation(request, context).ConfigureAwait(false);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var slot = await EnterAsync(context).ConfigureAwait(false);
        return await continuation(requestStream, context).ConfigureAwait(false);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var slot = await EnterAsync(context).ConfigureAwait(false);
        await continuation(request, responseStream, context).ConfigureAwait(false);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        using var slot = await EnterAsync(context).ConfigureAwait(false);
        await continuation(requestStream, responseStream, context).ConfigureAwait(false);
    }

    private async ValueTask<IDisposable?> EnterAsync(ServerCallContext context)
    {
        if (GrpcAuthInterceptor.LevelOf(context.Method) == AccessLevel.Open) return null;
        // The common case (a free slot) completes synchronously without touching the queue.
        var lease = _limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            try
            {
                lease = await _limiter.AcquireAsync(1, context.CancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Cancelled, "the client cancelled the call or its deadline passed while it waited for a free slot"));
            }
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"Too many concurrent gRPC calls: {_settings.MaxConcurrentCalls} running and {_settings.MaxQueuedCalls} waiting " +
                    "(grape.grpc.max_concurrent_calls / grape.grpc.max_queued_calls); retry later"));
            }
        }
        return lease;
    }

    public void Dispose() => _limiter.Dispose();
}
