using System.Buffers;
using System.Collections.Concurrent;

namespace Grape.Server.Hosting;

/// <summary>
/// The memory Kestrel's socket transport reads into and writes from: pinned blocks of <see cref="BlockSize"/> bytes
/// instead of Kestrel's 4 KiB. The transport receives at most one block per <c>recv</c> call and hands the request
/// reader one pipe segment per block, so a 150 KB upsert body (100 points of 128 dimensions) took ~40 receives
/// and as many wake-ups of the body reader (~80 system calls with the zero-byte wait before each); with 64 KiB blocks
/// it takes 3. Free blocks are kept up to <see cref="MaxFreeBlocks"/> (the rest are left to the GC), so the pool
/// retains at most that many blocks beyond the ones in use.
/// </summary>
internal sealed class TransportMemoryPool : MemoryPool<byte>
{
    public const int BlockSize = 64 * 1024;
    public const int MaxFreeBlocks = 256;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private volatile bool _disposed;

    public override int MaxBufferSize => BlockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Rented = true;
            return block;
        }
        return new Block(this);
    }

    private void Return(Block block)
    {
        if (_disposed || Interlocked.Increment(ref _freeCount) > MaxFreeBlocks)
        {
            if (!_disposed) Interlocked.Decrement(ref _freeCount);
            return; // dropped: the GC takes it
        }
        _free.Enqueue(block);
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
    }

    private sealed class Block(TransportMemoryPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public bool Rented { get; set; } = true;

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            if (!Rented) return; // a second Dispose must not put the block in the pool twice
            Rented = false;
            pool.Return(this);
        }
    }
}
