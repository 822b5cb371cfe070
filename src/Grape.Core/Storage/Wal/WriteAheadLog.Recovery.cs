using Grape.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace Grape.Core.Storage.Wal;

/// <summary>Opening a durable log: scan every file, cut a torn tail off the newest, refuse damage elsewhere.</summary>
internal sealed partial class WriteAheadLog
{
    private void Recover()
    {
        if (!Directory.Exists(_directory))
        {
            Directory.CreateDirectory(_directory);
            string? parent = Path.GetDirectoryName(Path.GetFullPath(_directory));
            if (parent is not null) AtomicFile.FsyncDirectory(parent);
        }

        var files = new List<(ulong FirstOpNum, string Path)>();
        foreach (string path in Directory.EnumerateFiles(_directory))
        {
            if (WalSegment.TryParseFileName(Path.GetFileName(path), out ulong first)) files.Add((first, path));
            else if (path.EndsWith(SpareExtension, StringComparison.Ordinal)) File.Delete(path); // may be half-made: start over
            else WalLog.UnexpectedFile(_logger, path);
        }
        files.Sort(static (a, b) => a.FirstOpNum.CompareTo(b.FirstOpNum));

        ulong expected = files.Count > 0 ? files[0].FirstOpNum : 1;
        byte[] data = [];
        for (int i = 0; i < files.Count; i++)
        {
            (ulong first, string path) = files[i];
            bool newest = i == files.Count - 1;
            if (first != expected)
                ThrowHelper.Corrupted($"WAL file {path} starts at op {first}, but op {expected} follows the previous file");

            SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, newest ? FileAccess.ReadWrite : FileAccess.Read, FileShare.Read);
            try
            {
                long fileLength = RandomAccess.GetLength(handle);
                if (fileLength > Array.MaxLength) ThrowHelper.Corrupted($"WAL file {path} is too large ({fileLength} bytes)");
                if (data.Length < fileLength) data = new byte[Math.Max(fileLength, Math.Min(2L * data.Length, Array.MaxLength))];
                ReadExactly(handle, data.AsSpan(0, (int)fileLength), path);

                var segment = new WalSegment(path, first);
                ScanFile(segment, data.AsSpan(0, (int)fileLength), handle, newest);
                expected = segment.LastOpNum + 1;
                _segments.Add(segment);
                if (newest)
                {
                    _current = segment;
                    _currentHandle = handle; // kept open: the flusher appends to it
                }
            }
            finally
            {
                if (!ReferenceEquals(handle, _currentHandle)) handle.Dispose();
            }
        }

        _firstKeptOpNum = files.Count > 0 ? files[0].FirstOpNum : 1;
        _nextOpNum = expected;
        _flushingLastOpNum = expected - 1;
        _durableOpNum = expected - 1;
        WalLog.Opened(_logger, _directory, files.Count, _nextOpNum > _firstKeptOpNum ? _firstKeptOpNum : 0, expected - 1);
    }

    /// <summary>Validates one file's records and sets the segment's extent; cuts the newest file after its last good record.</summary>
    private void ScanFile(WalSegment segment, ReadOnlySpan<byte> data, SafeFileHandle handle, bool newest)
    {
        int offset = 0;
        ulong expected = segment.FirstOpNum;
        WalRecordStatus status;
        while (true)
        {
            status = WalRecordFormat.TryRead(data, offset, out int recordLength, out ulong opNum);
            if (status != WalRecordStatus.Valid) break;
            if (opNum != expected)
            {
                // A checksummed record with the wrong number is not a torn write: the files were mixed up.
                ThrowHelper.Corrupted($"WAL file {segment.Path} holds op {opNum} at offset {offset} where op {expected} was expected");
            }
            offset += recordLength;
            expected++;
        }
        segment.LastOpNum = expected - 1;
        segment.Length = offset;

        // Zeros after the last record are space the file system allocated ahead (preallocation, or a size update
        // that reached disk before the data): harmless anywhere. Anything else is damage.
        bool cleanEnd = status == WalRecordStatus.End && !data[offset..].ContainsAnyExcept((byte)0);
        if (!newest)
        {
            if (!cleanEnd)
                ThrowHelper.Corrupted($"WAL file {segment.Path} is damaged at offset {offset} ({status}) and is not the newest file");
            return;
        }
        if (offset == data.Length) return;

        if (cleanEnd) WalLog.ZeroTailCut(_logger, segment.Path, offset);
        else WalLog.TornTailDropped(_logger, segment.Path, offset, data.Length - offset, status);
        // Cut and fsync before any new record goes in: otherwise a crash could resurrect stale records behind it.
        RandomAccess.SetLength(handle, offset);
        RandomAccess.FlushToDisk(handle);
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, string path)
    {
        long position = 0;
        while (!destination.IsEmpty)
        {
            int read = RandomAccess.Read(handle, destination, position);
            if (read == 0) ThrowHelper.Corrupted($"WAL file {path} ended early at offset {position}");
            destination = destination[read..];
            position += read;
        }
    }

    /// <summary>Called with the log empty: deletes the newest file if it holds no record, so the next file can be
    /// named by the new first op number.</summary>
    private void RemoveEmptyCurrentSegment(ulong nextOpNum)
    {
        lock (_segmentsLock)
        {
            if (_current is null) return;
            System.Diagnostics.Debug.Assert(_current.IsEmpty && _segments.Count == 1);
            _currentHandle?.Dispose();
            _currentHandle = null;
            File.Delete(_current.Path);
            AtomicFile.FsyncDirectory(_directory);
            WalLog.EmptyFileRemoved(_logger, _current.Path, nextOpNum);
            _segments.Clear();
            _current = null;
        }
    }
}
