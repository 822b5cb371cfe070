using Grape.Server.Observability;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Grape.Server.Errors;

/// <summary>Catches whatever an endpoint throws and answers with Qdrant's error body; endpoints never catch.</summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            if (e is OperationCanceledException && context.RequestAborted.IsCancellationRequested) return; // client went away
            int status = ErrorMapper.ToHttpStatus(e);
            if (status >= 500) ServerLog.RequestFailed(logger, context.Request.Method, context.Request.Path, e);
            context.Response.Clear();
            await ErrorBodyWriter.WriteAsync(context, status, ErrorMapper.ToMessage(e), RequestTiming.Elapsed(context)).ConfigureAwait(false);
        }
    }
}
