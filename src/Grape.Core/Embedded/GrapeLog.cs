using Microsoft.Extensions.Logging;

namespace Grape.Core.Embedded;

internal static partial class GrapeLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Close timed out after {Seconds}s with {InFlight} operations still in flight")]
    public static partial void CloseTimedOut(ILogger logger, double seconds, int inFlight);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Close step {Step} failed")]
    public static partial void CloseStepFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Lifecycle hook {Hook} failed")]
    public static partial void HookFailed(ILogger logger, string hook, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Critical, Message = "Storage failure; the database is now faulted")]
    public static partial void StorageFaulted(ILogger logger, Exception exception);
}
