using Microsoft.Win32.SafeHandles;

namespace Grape.Core.Storage.Wal;

/// <summary>
/// The flusher thread: takes the whole append buffer at once, checksums and writes it (one write call per file it
/// touches), fsyncs, then publishes <see cref="DurableOpNum"/> and wakes the waiters of that batch. Appends made
/// while it waits on the disk form the next batch, so one fsync serves every concurrent appender.
/// </summary>
internal sealed partial class WriteAheadLog
{
    private volatile Action? _beforeWriteForTest;

    /// <summary>Test hook: runs on the flusher thread before each write; an exception it throws is a failed write.</summary>
    internal Action? BeforeWriteForTest
    {
        get => _beforeWriteForTest;
        set => _beforeWriteForTest = value;
    }

    private void StartFlusher()
    {
        // A dedicated thread, not a pool task: it blocks in fsync most of its life.
        _flusher = new Thread(RunFlusher) { IsBackground = true, Name = "grape-wal-flusher" };
        _flusher.Start();
    }

    private void RunFlusher()
    {
        while (true)
        {
            byte[] batch;
            int batchLength;
            ulong batchLastOpNum;
            lock (_lock)
            {
                while (_activeLength == 0 && !_disposed)
                {
                    _flusherWaiting = true;
                    Monitor.Wait(_lock);
                }
                _flusherWaiting = false;
                if (_activeLength == 0) return; // disposed and drained

                batch = _active;
                batchLength = _activeLength;
                batchLastOpNum = _nextOpNum - 1;
                _active = _spareBuffer ?? new byte[InitialBufferBytes];
                _spareBuffer = null;
                _activeLength = 0;
                _flushingLastOpNum = batchLastOpNum;
                _inflightDone = _nextDone;
                _nextDone = null;
            }

            try
            {
                WriteBatch(batch.AsSpan(0, batchLength));
            }
            catch (Exception e)
            {
                // After a failed write or fsync the page cache can't be trusted (Linux may drop the dirty pages), so
                // retrying could report lost records as durable: fail everything from here on instead.
                Fail(e);
                return;
            }

            TaskCompletionSource? done;
            lock (_lock)
            {
                Volatile.Write(ref _durableOpNum, batchLastOpNum);
                done = _inflightDone;
                _inflightDone = null;
                if (batch.Length <= MaxRetainedBufferBytes) _spareBuffer = batch;
            }
            done?.TrySetResult();
        }
    }

    private void Fail(Exception e)
    {
        TaskCompletionSource? inflight, next;
        lock (_lock)
        {
            _fault = e;
            inflight = _inflightDone;
            next = _nextDone;
            _inflightDone = null;
            _nextDone = null;
        }
        WalLog.FlushFailed(_logger, e, _directory);
        inflight?.TrySetException(e);
        next?.TrySetException(e);
    }

    /// <summary>Seals (checksums) the records of <paramref name="batch"/> and writes them, starting new files as needed.</summary>
    private void WriteBatch(Span<byte> batch)
    {
        long capacity = _options.SegmentCapacityBytes;
        WalSegment? segment;
        lock (_segmentsLock) segment = _current;

        int start = 0, offset = 0;
        ulong lastOpNum = 0;
        while (offset < batch.Length)
        {
            int recordLength = WalRecordFormat.RecordLength(WalRecordFormat.PayloadLength(batch[offset..]));
            Span<byte> record = batch.Slice(offset, recordLength);
            ulong opNum = WalRecordFormat.OpNum(record);
            WalRecordFormat.Seal(record);

            long used = segment is null ? 0 : segment.Length + (offset - start);
            if (segment is null)
            {
                segment = StartSegment(opNum);
            }
            else if (used > 0 && used + recordLength > capacity)
            {
                // A record larger than the capacity still goes in, alone in a fresh file.
                WriteAndSync(segment, batch[start..offset], lastOpNum);
                segment = StartSegment(opNum);
                start = offset;
            }
            lastOpNum = opNum;
            offset += recordLength;
        }
        WriteAndSync(segment!, batch[start..offset], lastOpNum);
    }

    private void WriteAndSync(WalSegment segment, ReadOnlySpan<byte> records, ulong lastOpNum)
    {
        if (records.IsEmpty) return;
        _beforeWriteForTest?.Invoke();
        SafeFileHandle handle = _currentHandle!;
        RandomAccess.Write(handle, records, segment.Length);
        // fsync (FlushToDisk) measured as fast as fdatasync here, and preallocating gave no measurable gain either.
        RandomAccess.FlushToDisk(handle);
        lock (_segmentsLock)
        {
            segment.Length += records.Length;
            segment.LastOpNum = lastOpNum;
        }
    }

    /// <summary>Creates the file for a record numbered <paramref name="firstOpNum"/> and makes it the current one.</summary>
    private WalSegment StartSegment(ulong firstOpNum)
    {
        string path = Path.Combine(_directory, WalSegment.FileName(firstOpNum));
        SafeFileHandle handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        // The new name must be durable before any record in it is reported durable.
        AtomicFile.FsyncDirectory(_directory);
        var segment = new WalSegment(path, firstOpNum);
        SafeFileHandle? previous;
        lock (_segmentsLock)
        {
            previous = _currentHandle;
            _currentHandle = handle;
            _current = segment;
            _segments.Add(segment);
        }
        previous?.Dispose();
        return segment;
    }
}
