using Grape.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace Grape.Core.Storage.Wal;

/// <summary>Replay and truncation.</summary>
internal sealed partial class WriteAheadLog
{
    /// <summary>Every record with op number ≥ <paramref name="fromOpNum"/>, in order (used at open, before appends).</summary>
    /// <remarks>Records still buffered are flushed first. Each file is read whole into one array that the returned
    /// payloads point into, so payloads stay valid after the enumeration moves on.</remarks>
    /// <exception cref="StorageCorruptedException">A file changed on disk since it was checked.</exception>
    public IEnumerable<WalRecord> ReadFrom(ulong fromOpNum)
    {
        if (_chunks is not null) return ReadFromMemory(fromOpNum);

        Flush();
        var snapshot = new List<(string Path, ulong FirstOpNum, long Length)>();
        lock (_segmentsLock)
        {
            foreach (WalSegment segment in _segments)
            {
                if (!segment.IsEmpty && segment.LastOpNum >= fromOpNum) snapshot.Add((segment.Path, segment.FirstOpNum, segment.Length));
            }
        }
        return ReadFiles(snapshot, fromOpNum);
    }

    private static IEnumerable<WalRecord> ReadFiles(List<(string Path, ulong FirstOpNum, long Length)> snapshot, ulong fromOpNum)
    {
        foreach ((string path, ulong firstOpNum, long length) in snapshot)
        {
            byte[] data = new byte[length];
            using (SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                ReadExactly(handle, data, path);
            }

            int offset = 0;
            ulong expected = firstOpNum;
            while (offset < data.Length)
            {
                WalRecordStatus status = WalRecordFormat.TryRead(data, offset, out int recordLength, out ulong opNum);
                if (status != WalRecordStatus.Valid || opNum != expected)
                    ThrowHelper.Corrupted($"WAL file {path} changed on disk: {status} at offset {offset} (op {opNum}, expected {expected})");
                if (opNum >= fromOpNum)
                    yield return new WalRecord(opNum, data.AsMemory(offset + WalRecordFormat.HeaderSize, recordLength - WalRecordFormat.HeaderSize));
                offset += recordLength;
                expected++;
            }
        }
    }

    /// <summary>Drops whole files all of whose records are below <paramref name="opNum"/>; the newest file is always kept.</summary>
    public void TruncateBefore(ulong opNum)
    {
        if (_chunks is not null)
        {
            TruncateMemoryBefore(opNum);
            return;
        }

        var removed = new List<string>();
        ulong firstKept;
        lock (_segmentsLock)
        {
            // Only the newest file is ever written, so every older one is complete and fsynced.
            int drop = 0;
            while (drop < _segments.Count - 1 && _segments[drop].LastOpNum < opNum) removed.Add(_segments[drop++].Path);
            if (drop == 0) return;
            _segments.RemoveRange(0, drop);
            firstKept = _segments[0].FirstOpNum;
        }
        lock (_lock) _firstKeptOpNum = Math.Max(_firstKeptOpNum, firstKept);

        // Delete oldest first: a crash midway leaves a shorter but still consecutive run of files.
        foreach (string path in removed)
        {
            File.Delete(path);
            WalLog.FileRemoved(_logger, path, opNum);
        }
        AtomicFile.FsyncDirectory(_directory);
    }
}
