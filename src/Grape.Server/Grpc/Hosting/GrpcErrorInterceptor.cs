using Grape.Server.Errors;
using Grape.Server.Observability;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Grape.Server.Grpc.Hosting;

/// <summary>
/// Turns whatever a handler throws into the gRPC status Qdrant sends, with the same text REST puts in
/// <c>status.error</c> (both come from <see cref="ErrorMapper"/>). Handlers never catch.
/// </summary>
internal sealed class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try { return await continuation(request, context).ConfigureAwait(false); }
        catch (Exception e) when (e is not RpcException) { throw Translate(e, context); }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try { await continuation(requestStream, responseStream, context).ConfigureAwait(false); }
        catch (Exception e) when (e is not RpcException) { throw Translate(e, context); }
    }

    private RpcException Translate(Exception e, ServerCallContext context)
    {
        if (e is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            return new RpcException(new Status(StatusCode.Cancelled, "the client cancelled the call or its deadline passed"));
        var code = ToStatusCode(e);
        if (code is StatusCode.Internal or StatusCode.Unknown) ServerLog.RequestFailed(logger, "gRPC", context.Method, e);
        return new RpcException(new Status(code, ErrorMapper.ToMessage(e)));
    }

    /// <summary>The HTTP status REST would send, read as Qdrant's tonic code mapping.</summary>
    public static StatusCode ToStatusCode(Exception e) => ErrorMapper.ToHttpStatus(e) switch
    {
        400 or 422 => StatusCode.InvalidArgument,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        408 => StatusCode.DeadlineExceeded,  // the request's own `timeout` fired (a client cancel is handled above)
        409 => StatusCode.AlreadyExists,
        413 => StatusCode.ResourceExhausted,
        503 => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    };
}
