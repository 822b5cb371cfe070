using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Grape.Core.Storage.Wal;

/// <summary>
/// A shard's write-ahead log.
/// - Records are numbered by consecutive operation numbers starting at 1 (or at <see cref="EnsureNextOpNumAtLeast"/>).
/// - <see cref="Append"/> is thread-safe and cheap: it copies the payload into an in-memory buffer, assigns the next
///   op number and returns it. Records reach disk in op order.
/// - A background flusher writes buffered records and fsyncs them (group commit: one fsync covers every record
///   appended before it started); <see cref="DurableOpNum"/> is the highest op number known durable.
/// - On disk: files named by their first op number; each record is [length u32][checksum u32][opnum u64][payload],
///   checksummed (low 32 bits of XXH3) over opnum+payload. On open, a torn or corrupt tail of the LAST file is detected, logged
///   and cut off; corruption inside an older file throws <see cref="Errors.StorageCorruptedException"/>.
/// - When <see cref="WalOptions.Durable"/> is false (in-memory databases) nothing is fsynced and records stay in memory only.
/// </summary>
/// <remarks>
/// Two locks, always taken in this order when both are held: <c>_lock</c> (append buffer, op numbers, waiters) and
/// <c>_segmentsLock</c> (the file list and extents). File I/O happens under neither, so appends never wait on disk.
/// </remarks>
internal sealed partial class WriteAheadLog : IDisposable
{
    private const int BlockBytes = 256 << 10;
    private const int MaxPooledBlocks = 16; // 4 MiB kept after a burst; a longer backlog allocates fresh blocks
    private const long MaxSegmentCapacityBytes = 1L << 30; // a file is read back into one array

    private readonly string _directory;
    private readonly WalOptions _options;
    private readonly ILogger _logger;

    // Guarded by _lock. Monitor rather than System.Threading.Lock: the idle flusher waits on it (Monitor.Wait).
    private readonly object _lock = new();
    private WalBatch _active = new(BlockBytes); // appended records the flusher has not taken yet
    private WalBatch _flushing = new(BlockBytes); // the batch the flusher is writing (empty between writes)
    private readonly Stack<byte[]> _freeBlocks = new();
    private ulong _nextOpNum = 1;
    private ulong _firstKeptOpNum = 1; // first op number of the log; meaningful only when it holds a record
    private ulong _flushingLastOpNum; // last op of the batch the flusher is writing now
    private TaskCompletionSource? _inflightDone; // completes when the batch being written is durable
    private TaskCompletionSource? _nextDone; // completes when the batch after it is durable
    private bool _flusherWaiting;
    private bool _disposed;
    private Exception? _fault;
    private readonly List<WalMemoryChunk>? _chunks; // the whole log when not durable

    private ulong _durableOpNum; // written under _lock, read without it

    // Guarded by _segmentsLock.
    private readonly Lock _segmentsLock = new();
    private readonly List<WalSegment> _segments = [];
    private WalSegment? _current; // the newest file, the only one written
    private SafeFileHandle? _currentHandle; // used for I/O by the flusher only
    private Thread? _flusher;

    private WriteAheadLog(string directory, WalOptions options, ILogger logger)
    {
        _directory = directory;
        _options = options;
        _logger = logger;
        if (!options.Durable) _chunks = [];
    }

    /// <summary>Opens (or creates) the log in <paramref name="directory"/>, recovering what a crash left.</summary>
    /// <exception cref="Errors.StorageCorruptedException">A file other than the newest is damaged, or op numbers
    /// are not consecutive across files.</exception>
    public static WriteAheadLog Open(string directory, WalOptions options, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SegmentCapacityBytes, WalRecordFormat.HeaderSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SegmentCapacityBytes, MaxSegmentCapacityBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(options.SegmentsAhead);

        var log = new WriteAheadLog(directory, options, logger);
        if (options.Durable)
        {
            try
            {
                log.Recover();
            }
            catch
            {
                log._currentHandle?.Dispose();
                throw;
            }
            log.CreateSpares();
            log.StartFlusher();
        }
        return log;
    }

    /// <summary>Op number of the oldest record still kept (0 when the log is empty).</summary>
    public ulong FirstOpNum
    {
        get
        {
            lock (_lock) return _nextOpNum > _firstKeptOpNum ? _firstKeptOpNum : 0;
        }
    }

    /// <summary>Op number of the newest record appended (0 when none ever was).</summary>
    public ulong LastOpNum => Volatile.Read(ref _nextOpNum) - 1;

    /// <summary>The highest op number that is durable on disk.</summary>
    public ulong DurableOpNum => Volatile.Read(ref _durableOpNum);

    /// <summary>After truncation the log may be empty; the shard tells it where numbering resumes.</summary>
    /// <exception cref="InvalidOperationException">The log holds records and numbering would jump past them.</exception>
    public void EnsureNextOpNumAtLeast(ulong nextOpNum)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (nextOpNum <= _nextOpNum) return;
            if (_nextOpNum > _firstKeptOpNum)
            {
                throw new InvalidOperationException(
                    $"The WAL holds op numbers {_firstKeptOpNum}..{_nextOpNum - 1}; numbering cannot jump to {nextOpNum}");
            }

            // The log is empty, so the flusher has nothing in hand and no file holds a record.
            _chunks?.Clear();
            if (_chunks is null) RemoveEmptyCurrentSegment(nextOpNum);
            _nextOpNum = nextOpNum;
            _firstKeptOpNum = nextOpNum;
            _flushingLastOpNum = nextOpNum - 1;
            Volatile.Write(ref _durableOpNum, nextOpNum - 1);
        }
    }

    /// <summary>Appends a record and returns its op number. Thread-safe; op numbers follow call order.</summary>
    /// <exception cref="ObjectDisposedException">The log was disposed.</exception>
    /// <exception cref="IOException">The flusher failed earlier; the log takes no more records.</exception>
    public ulong Append(ReadOnlySpan<byte> payload)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, WalRecordFormat.MaxPayloadLength, nameof(payload));
        int recordLength = WalRecordFormat.RecordLength(payload.Length);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_fault is not null) throw new IOException("The write-ahead log failed earlier and takes no more records", _fault);

            ulong opNum = _nextOpNum;
            Span<byte> record = _chunks is null ? _active.Reserve(recordLength, _freeBlocks) : ReserveInMemoryLog(recordLength, opNum);
            // The checksum is filled in by the flusher: the lock is held only for a header and a copy.
            WalRecordFormat.WriteHeader(record, payload.Length, opNum);
            payload.CopyTo(record[WalRecordFormat.HeaderSize..]);
            Volatile.Write(ref _nextOpNum, opNum + 1);

            if (_chunks is not null)
            {
                Volatile.Write(ref _durableOpNum, opNum);
            }
            else if (_flusherWaiting)
            {
                _flusherWaiting = false;
                Monitor.Pulse(_lock);
            }
            return opNum;
        }
    }

    /// <summary>Completes once <paramref name="opNum"/> is durable (immediately if it already is).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opNum"/> was not appended yet.</exception>
    /// <exception cref="IOException">The flusher failed before the record was durable (the task faults with it).</exception>
    public ValueTask WaitDurableAsync(ulong opNum, CancellationToken cancellationToken = default) =>
        opNum <= Volatile.Read(ref _durableOpNum) ? ValueTask.CompletedTask : WaitDurableSlowAsync(opNum, cancellationToken);

    /// <summary>Blocking form of <see cref="WaitDurableAsync"/>.</summary>
    public void WaitDurable(ulong opNum)
    {
        if (opNum <= Volatile.Read(ref _durableOpNum)) return;
        WaitDurableSlowAsync(opNum, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Writes and fsyncs everything appended so far (blocking).</summary>
    public void Flush() => WaitDurable(LastOpNum);

    /// <summary>Flushes, stops the flusher and closes the files.</summary>
    public void Dispose()
    {
        Thread? flusher;
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true; // no more appends: the flusher drains what is buffered, then exits
            flusher = _flusher;
            if (_flusherWaiting)
            {
                _flusherWaiting = false;
                Monitor.Pulse(_lock);
            }
        }
        flusher?.Join();
        lock (_segmentsLock)
        {
            _currentHandle?.Dispose();
            _currentHandle = null;
        }
    }

    private ValueTask WaitDurableSlowAsync(ulong opNum, CancellationToken cancellationToken)
    {
        Task task;
        lock (_lock)
        {
            if (opNum <= _durableOpNum) return ValueTask.CompletedTask;
            if (_fault is not null) return ValueTask.FromException(_fault);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(opNum, _nextOpNum);
            // One completion per flush, shared by every waiter of that flush: no allocation per waiter.
            task = opNum <= _flushingLastOpNum
                ? (_inflightDone ??= NewSignal()).Task
                : (_nextDone ??= NewSignal()).Task;
        }
        return cancellationToken.CanBeCanceled ? new ValueTask(task.WaitAsync(cancellationToken)) : new ValueTask(task);
    }

    // Continuations must not run on the flusher thread: it would stall the next fsync behind request code.
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
