namespace Grape.Core.Storage.Wal;

/// <summary>
/// Records kept in a list of fixed-size blocks; a record never spans two blocks (a record larger than a block gets
/// a block of its own). Growing never copies, and the blocks of a written batch go back to a pool, so steady
/// appending allocates nothing. Bytes once written are never changed: a reader may hold a block while appends
/// continue behind it. Not thread-safe: the log guards it.
/// </summary>
internal sealed class WalBatch(int blockBytes)
{
    private readonly List<byte[]> _blocks = [];
    private readonly List<int> _lengths = [];

    public int BlockBytes { get; } = blockBytes;

    /// <summary>Bytes of records held.</summary>
    public long ByteCount { get; private set; }

    public int BlockCount => _blocks.Count;

    public byte[] Block(int index) => _blocks[index];

    public int BlockLength(int index) => _lengths[index];

    /// <summary>Room for one record at the end, taken from <paramref name="pool"/> when a new block is needed.</summary>
    public Span<byte> Reserve(int recordLength, Stack<byte[]>? pool)
    {
        int last = _blocks.Count - 1;
        if (last < 0 || _blocks[last].Length - _lengths[last] < recordLength)
        {
            // A record larger than a block (a big upsert batch) gets a pooled array: a fresh large-object array per
            // append costs page faults on every byte (measured: 1.8 ms for a 564 KB batch, 30x the copy itself).
            byte[] block = recordLength > BlockBytes
                ? System.Buffers.ArrayPool<byte>.Shared.Rent(recordLength)
                : pool is { Count: > 0 } ? pool.Pop() : GC.AllocateUninitializedArray<byte>(BlockBytes); // always written before read
            _blocks.Add(block);
            _lengths.Add(0);
            last++;
        }
        int offset = _lengths[last];
        _lengths[last] = offset + recordLength;
        ByteCount += recordLength;
        return _blocks[last].AsSpan(offset, recordLength);
    }

    /// <summary>Empties the batch, keeping up to <paramref name="maxPooled"/> standard blocks in <paramref name="pool"/>.</summary>
    public void Clear(Stack<byte[]> pool, int maxPooled)
    {
        foreach (byte[] block in _blocks)
        {
            if (block.Length > BlockBytes) System.Buffers.ArrayPool<byte>.Shared.Return(block);
            else if (block.Length == BlockBytes && pool.Count < maxPooled) pool.Push(block);
        }
        _blocks.Clear();
        _lengths.Clear();
        ByteCount = 0;
    }

    /// <summary>Adds each block and its current length to <paramref name="snapshot"/> (for readers outside the lock).</summary>
    public void CopyBlocksTo(List<(byte[] Block, int Length)> snapshot)
    {
        for (int i = 0; i < _blocks.Count; i++) snapshot.Add((_blocks[i], _lengths[i]));
    }
}
