namespace Grape.Core.Storage.Wal;

/// <summary>
/// The in-memory stand-in for a file when the log is not durable: records in the on-disk layout (unchecksummed),
/// appended under the log lock. A grown chunk gets a new buffer; old buffers stay valid for readers holding them
/// because written bytes are never changed.
/// </summary>
internal sealed class WalMemoryChunk(ulong firstOpNum, int initialCapacity)
{
    public ulong FirstOpNum { get; } = firstOpNum;

    public ulong LastOpNum { get; set; } = firstOpNum - 1;

    public byte[] Buffer { get; set; } = new byte[initialCapacity];

    public int Length { get; set; }
}
