using Microsoft.Extensions.Logging;

namespace Grape.Server.Observability;

/// <summary>The server's log messages (event ids 4xxx).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    public static partial void RequestFailed(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Opening storage at {Path}")]
    public static partial void OpeningStorage(ILogger logger, string path);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Storage open; ready to serve")]
    public static partial void Ready(ILogger logger);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Critical, Message = "Could not open storage at {Path}; stopping")]
    public static partial void OpenFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Shutting down: closing storage (timeout {Seconds}s)")]
    public static partial void Closing(ILogger logger, double seconds);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Close timed out with operations still in flight; storage was flushed anyway")]
    public static partial void CloseTimedOut(ILogger logger);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Grape REST listening on http://{Host}:{Port}")]
    public static partial void Listening(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Debug, Message = "Socket event threads moved to SCHED_BATCH: {Count}")]
    public static partial void EventThreadsBatched(ILogger logger, int count);
}
