using Microsoft.Win32.SafeHandles;

namespace Grape.Core.Storage.Wal;

/// <summary>
/// The flusher thread: takes the whole append buffer at once, checksums and writes it (one write call per file it
/// touches), fsyncs, then publishes <see cref="DurableOpNum"/> and wakes the waiters of that batch. Appends made
/// while it waits on the disk form the next batch, so one fsync serves every concurrent appender.
/// </summary>
internal sealed partial class WriteAheadLog
{
    private const int MaxBuffersPerWrite = 512; // below IOV_MAX (1024)

    private const string SpareExtension = ".spare";

    private readonly List<ReadOnlyMemory<byte>> _writeList = []; // flusher only
    private readonly Queue<string> _spares = new(); // preallocated empty files (SegmentsAhead); flusher only after open
    private int _spareCounter;
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
            WalBatch batch;
            ulong batchLastOpNum;
            lock (_lock)
            {
                while (_active.ByteCount == 0 && !_disposed)
                {
                    _flusherWaiting = true;
                    Monitor.Wait(_lock);
                }
                _flusherWaiting = false;
                if (_active.ByteCount == 0) return; // disposed and drained

                batch = _active;
                _active = _flushing;
                _flushing = batch;
                batchLastOpNum = _nextOpNum - 1;
                _flushingLastOpNum = batchLastOpNum;
                _inflightDone = _nextDone;
                _nextDone = null;
            }

            try
            {
                WriteBatch(batch);
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
                batch.Clear(_freeBlocks, MaxPooledBlocks);
            }
            done?.TrySetResult();
            if (_spares.Count < _options.SegmentsAhead) CreateSpares(); // after the waiters: off their latency
        }
    }

    /// <summary>Creates spare files up to <see cref="WalOptions.SegmentsAhead"/>; a failure only costs the speed-up.</summary>
    private void CreateSpares()
    {
        try
        {
            while (_spares.Count < _options.SegmentsAhead)
            {
                string path = Path.Combine(_directory, $"{Environment.ProcessId}-{++_spareCounter}{SpareExtension}");
                // Preallocated (fallocate): reads as zeros, which the scan treats as the end of the records.
                using (File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.None, _options.SegmentCapacityBytes)) { }
                _spares.Enqueue(path);
            }
        }
        catch (IOException e)
        {
            WalLog.SpareFailed(_logger, e, _directory);
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
    private void WriteBatch(WalBatch batch)
    {
        long capacity = _options.SegmentCapacityBytes;
        WalSegment? segment;
        lock (_segmentsLock) segment = _current;

        long pending = 0; // bytes in _writeList, not yet written
        ulong lastOpNum = 0;
        for (int b = 0; b < batch.BlockCount; b++)
        {
            byte[] block = batch.Block(b);
            int length = batch.BlockLength(b);
            int start = 0, offset = 0;
            while (offset < length)
            {
                Span<byte> record = block.AsSpan(offset, WalRecordFormat.RecordLength(WalRecordFormat.PayloadLength(block.AsSpan(offset))));
                ulong opNum = WalRecordFormat.OpNum(record);
                WalRecordFormat.Seal(record);

                if (segment is null)
                {
                    segment = StartSegment(opNum);
                }
                else
                {
                    long used = segment.Length + pending + (offset - start);
                    if (used > 0 && used + record.Length > capacity)
                    {
                        // A record larger than the capacity still goes in, alone in a fresh file.
                        if (offset > start) _writeList.Add(block.AsMemory(start, offset - start));
                        WriteAndSync(segment, lastOpNum);
                        pending = 0;
                        segment = StartSegment(opNum);
                        start = offset;
                    }
                }
                lastOpNum = opNum;
                offset += record.Length;
            }
            if (offset > start)
            {
                _writeList.Add(block.AsMemory(start, offset - start));
                pending += offset - start;
            }
        }
        WriteAndSync(segment!, lastOpNum);
    }

    /// <summary>Writes <see cref="_writeList"/> at the end of the file (one gathered write), fsyncs and clears it.</summary>
    private void WriteAndSync(WalSegment segment, ulong lastOpNum)
    {
        if (_writeList.Count == 0) return;
        _beforeWriteForTest?.Invoke();
        SafeFileHandle handle = _currentHandle!;
        long position = segment.Length;
        for (int i = 0; i < _writeList.Count; i += MaxBuffersPerWrite)
        {
            int count = Math.Min(MaxBuffersPerWrite, _writeList.Count - i);
            if (count == 1)
            {
                RandomAccess.Write(handle, _writeList[i].Span, position);
                position += _writeList[i].Length;
            }
            else
            {
                // pwritev: the blocks go out in one system call.
                IReadOnlyList<ReadOnlyMemory<byte>> buffers = i == 0 && count == _writeList.Count ? _writeList : _writeList.GetRange(i, count);
                RandomAccess.Write(handle, buffers, position);
                for (int k = i; k < i + count; k++) position += _writeList[k].Length;
            }
        }
        _writeList.Clear();
        // fsync (FlushToDisk) measured as fast as fdatasync here, and preallocating gave no measurable gain either.
        RandomAccess.FlushToDisk(handle);
        lock (_segmentsLock)
        {
            segment.Length = position;
            segment.LastOpNum = lastOpNum;
        }
    }

    /// <summary>Creates the file for a record numbered <paramref name="firstOpNum"/> and makes it the current one.</summary>
    private WalSegment StartSegment(ulong firstOpNum)
    {
        string path = Path.Combine(_directory, WalSegment.FileName(firstOpNum));
        if (_spares.TryDequeue(out string? spare))
        {
            File.Move(spare, path); // a rename instead of creating and allocating a file
        }
        SafeFileHandle handle = File.OpenHandle(path, spare is null ? FileMode.CreateNew : FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        // The new name must be durable before any record in it is reported durable.
        AtomicFile.FsyncDirectory(_directory);
        var segment = new WalSegment(path, firstOpNum);
        SafeFileHandle? previous;
        WalSegment? sealedSegment;
        lock (_segmentsLock)
        {
            previous = _currentHandle;
            sealedSegment = _current;
            _currentHandle = handle;
            _current = segment;
            _segments.Add(segment);
        }
        if (previous is not null)
        {
            try
            {
                TrimSealed(previous, sealedSegment!.Length);
            }
            finally
            {
                previous.Dispose();
            }
        }
        return segment;
    }

    /// <summary>Cuts the zero-filled space a spare left after the records of a file that is now complete.</summary>
    private static void TrimSealed(SafeFileHandle handle, long length)
    {
        if (RandomAccess.GetLength(handle) <= length) return;
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
    }
}
