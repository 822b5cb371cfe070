namespace Grape.Core.Storage.Wal;

/// <summary>
/// The in-memory stand-in for a file when the log is not durable: records in the on-disk layout (unchecksummed),
/// appended under the log lock.
/// </summary>
internal sealed class WalMemoryChunk(ulong firstOpNum, int blockBytes)
{
    public ulong FirstOpNum { get; } = firstOpNum;

    public ulong LastOpNum { get; set; } = firstOpNum - 1;

    public WalBatch Records { get; } = new(blockBytes);
}
