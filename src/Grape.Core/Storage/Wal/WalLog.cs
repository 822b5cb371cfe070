using Microsoft.Extensions.Logging;

namespace Grape.Core.Storage.Wal;

/// <summary>Log messages of the write-ahead log (event ids 1100-1199).</summary>
internal static partial class WalLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "Opened WAL {Directory}: {Files} files, op numbers {First}..{Last}")]
    public static partial void Opened(ILogger logger, string directory, int files, ulong first, ulong last);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Dropped torn WAL tail in {File} at offset {Offset}: {Bytes} bytes ({Reason})")]
    public static partial void TornTailDropped(ILogger logger, string file, long offset, long bytes, WalRecordStatus reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "WAL flush failed in {Directory}; the log takes no more writes")]
    public static partial void FlushFailed(ILogger logger, Exception exception, string directory);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Removed WAL file {File} (all records below {OpNum})")]
    public static partial void FileRemoved(ILogger logger, string file, ulong opNum);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Ignored unexpected file {File} in WAL directory")]
    public static partial void UnexpectedFile(ILogger logger, string file);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "Cut zero-filled space after the last WAL record in {File} at offset {Offset}")]
    public static partial void ZeroTailCut(ILogger logger, string file, long offset);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Debug, Message = "Removed empty WAL file {File} to resume numbering at {NextOpNum}")]
    public static partial void EmptyFileRemoved(ILogger logger, string file, ulong nextOpNum);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "Could not pre-create a spare WAL file in {Directory}")]
    public static partial void SpareFailed(ILogger logger, Exception exception, string directory);
}
