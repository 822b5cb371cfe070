namespace Grape.Core.Storage.Wal;

/// <summary>The not-durable log: records live in <see cref="WalMemoryChunk"/>s, one per would-be file.</summary>
internal sealed partial class WriteAheadLog
{
    private const int InitialChunkBytes = 16 << 10;

    private Span<byte> ReserveInMemoryLog(int recordLength, ulong opNum)
    {
        List<WalMemoryChunk> chunks = _chunks!;
        long capacity = _options.SegmentCapacityBytes;
        WalMemoryChunk? chunk = chunks.Count > 0 ? chunks[^1] : null;
        if (chunk is null || (chunk.Length > 0 && chunk.Length + (long)recordLength > capacity))
        {
            chunk = new WalMemoryChunk(opNum, (int)Math.Min(Math.Max(recordLength, InitialChunkBytes), Math.Max(capacity, recordLength)));
            chunks.Add(chunk);
        }

        long needed = (long)chunk.Length + recordLength;
        if (needed > chunk.Buffer.Length)
        {
            // Grow by copying into a new array: readers holding the old one still see valid, unchanged bytes.
            long grown = Math.Min(Math.Max(needed, 2L * chunk.Buffer.Length), Math.Max(capacity, needed));
            byte[] bigger = new byte[grown];
            chunk.Buffer.AsSpan(0, chunk.Length).CopyTo(bigger);
            chunk.Buffer = bigger;
        }
        Span<byte> record = chunk.Buffer.AsSpan(chunk.Length, recordLength);
        chunk.Length = (int)needed;
        chunk.LastOpNum = opNum;
        return record;
    }

    private IEnumerable<WalRecord> ReadFromMemory(ulong fromOpNum)
    {
        var snapshot = new List<(byte[] Buffer, int Length)>();
        lock (_lock)
        {
            foreach (WalMemoryChunk chunk in _chunks!)
            {
                if (chunk.Length > 0 && chunk.LastOpNum >= fromOpNum) snapshot.Add((chunk.Buffer, chunk.Length));
            }
        }
        return ReadMemorySnapshot(snapshot, fromOpNum);
    }

    private static IEnumerable<WalRecord> ReadMemorySnapshot(List<(byte[] Buffer, int Length)> snapshot, ulong fromOpNum)
    {
        foreach ((byte[] buffer, int length) in snapshot)
        {
            int offset = 0;
            while (offset < length)
            {
                ReadOnlySpan<byte> record = buffer.AsSpan(offset);
                int payloadLength = WalRecordFormat.PayloadLength(record);
                ulong opNum = WalRecordFormat.OpNum(record);
                if (opNum >= fromOpNum)
                    yield return new WalRecord(opNum, buffer.AsMemory(offset + WalRecordFormat.HeaderSize, payloadLength));
                offset += WalRecordFormat.RecordLength(payloadLength);
            }
        }
    }

    private void TruncateMemoryBefore(ulong opNum)
    {
        lock (_lock)
        {
            List<WalMemoryChunk> chunks = _chunks!;
            int drop = 0;
            while (drop < chunks.Count - 1 && chunks[drop].LastOpNum < opNum) drop++;
            if (drop == 0) return;
            chunks.RemoveRange(0, drop);
            _firstKeptOpNum = chunks[0].FirstOpNum;
        }
    }
}
