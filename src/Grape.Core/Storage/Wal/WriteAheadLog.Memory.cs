namespace Grape.Core.Storage.Wal;

/// <summary>The not-durable log: records live in <see cref="WalMemoryChunk"/>s, one per would-be file.</summary>
internal sealed partial class WriteAheadLog
{
    private const int MemoryBlockBytes = 64 << 10; // small: an in-memory collection may hold few records

    private Span<byte> ReserveInMemoryLog(int recordLength, ulong opNum)
    {
        List<WalMemoryChunk> chunks = _chunks!;
        WalMemoryChunk? chunk = chunks.Count > 0 ? chunks[^1] : null;
        long used = chunk?.Records.ByteCount ?? 0;
        if (chunk is null || (used > 0 && used + recordLength > _options.SegmentCapacityBytes))
        {
            chunk = new WalMemoryChunk(opNum, (int)Math.Min(MemoryBlockBytes, _options.SegmentCapacityBytes));
            chunks.Add(chunk);
        }
        chunk.LastOpNum = opNum;
        return chunk.Records.Reserve(recordLength, pool: null);
    }

    private IEnumerable<WalRecord> ReadFromMemory(ulong fromOpNum)
    {
        var snapshot = new List<(byte[] Block, int Length)>();
        lock (_lock)
        {
            foreach (WalMemoryChunk chunk in _chunks!)
            {
                if (chunk.LastOpNum >= fromOpNum) chunk.Records.CopyBlocksTo(snapshot);
            }
        }
        return ReadMemorySnapshot(snapshot, fromOpNum);
    }

    private static IEnumerable<WalRecord> ReadMemorySnapshot(List<(byte[] Block, int Length)> snapshot, ulong fromOpNum)
    {
        foreach ((byte[] block, int length) in snapshot)
        {
            int offset = 0;
            while (offset < length)
            {
                ReadOnlySpan<byte> record = block.AsSpan(offset);
                int payloadLength = WalRecordFormat.PayloadLength(record);
                ulong opNum = WalRecordFormat.OpNum(record);
                if (opNum >= fromOpNum)
                    yield return new WalRecord(opNum, block.AsMemory(offset + WalRecordFormat.HeaderSize, payloadLength));
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
