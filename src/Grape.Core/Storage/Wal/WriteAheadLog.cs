using Microsoft.Extensions.Logging;

namespace Grape.Core.Storage.Wal;

/// <summary>Settings of one log: file size and how many files to pre-create.</summary>
internal sealed record WalOptions(long SegmentCapacityBytes = 32L << 20, int SegmentsAhead = 0, bool Durable = true);

/// <summary>One record read back during replay.</summary>
internal readonly record struct WalRecord(ulong OpNum, ReadOnlyMemory<byte> Payload);

/// <summary>
/// CONTRACT (to implement): a shard's write-ahead log.
/// - Records are numbered by consecutive operation numbers starting at 1 (or at <see cref="EnsureNextOpNumAtLeast"/>).
/// - <see cref="Append"/> is thread-safe and cheap: it copies the payload into an in-memory buffer, assigns the next
///   op number and returns it. Records reach disk in op order.
/// - A background flusher writes buffered records and fsyncs them (group commit: one fsync covers every record
///   appended before it started); <see cref="DurableOpNum"/> is the highest op number known durable.
/// - On disk: files named by their first op number; each record is [length u32][checksum u32][opnum u64][payload],
///   checksummed (CRC32 or XXH3) over opnum+payload. On open, a torn or corrupt tail of the LAST file is detected, logged
///   and cut off; corruption inside an older file throws <see cref="Errors.StorageCorruptedException"/>.
/// - When <see cref="WalOptions.Durable"/> is false (in-memory databases) nothing is fsynced and records stay in memory only.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    public static WriteAheadLog Open(string directory, WalOptions options, ILogger logger) => throw new NotImplementedException();

    /// <summary>Op number of the oldest record still kept (0 when the log is empty).</summary>
    public ulong FirstOpNum => throw new NotImplementedException();

    /// <summary>Op number of the newest record appended (0 when none ever was).</summary>
    public ulong LastOpNum => throw new NotImplementedException();

    /// <summary>The highest op number that is durable on disk.</summary>
    public ulong DurableOpNum => throw new NotImplementedException();

    /// <summary>After truncation the log may be empty; the shard tells it where numbering resumes.</summary>
    public void EnsureNextOpNumAtLeast(ulong nextOpNum) => throw new NotImplementedException();

    /// <summary>Appends a record and returns its op number. Thread-safe; op numbers follow call order.</summary>
    public ulong Append(ReadOnlySpan<byte> payload) => throw new NotImplementedException();

    /// <summary>Completes once <paramref name="opNum"/> is durable (immediately if it already is).</summary>
    public ValueTask WaitDurableAsync(ulong opNum, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Blocking form of <see cref="WaitDurableAsync"/>.</summary>
    public void WaitDurable(ulong opNum) => throw new NotImplementedException();

    /// <summary>Every record with op number ≥ <paramref name="fromOpNum"/>, in order (used at open, before appends).</summary>
    public IEnumerable<WalRecord> ReadFrom(ulong fromOpNum) => throw new NotImplementedException();

    /// <summary>Drops whole files all of whose records are below <paramref name="opNum"/>; the newest file is always kept.</summary>
    public void TruncateBefore(ulong opNum) => throw new NotImplementedException();

    /// <summary>Writes and fsyncs everything appended so far (blocking).</summary>
    public void Flush() => throw new NotImplementedException();

    /// <summary>Flushes, stops the flusher and closes the files.</summary>
    public void Dispose() => throw new NotImplementedException();
}
