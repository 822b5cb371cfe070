using System.Runtime.CompilerServices;

namespace Grape.Core.Storage.Segments;

/// <summary>
/// A growable per-slot array that never reallocates an element under a reader: elements live in fixed-size chunks
/// (2^shift elements), and growing adds a chunk. The chunk table is replaced copy-on-grow and published with
/// <c>Volatile.Write</c>, so a reader that acquired a published slot count sees a table holding that slot.
/// One writer; any number of readers.
/// </summary>
internal sealed class ChunkedArray<T> where T : unmanaged
{
    private readonly int _shift;
    private readonly uint _mask;
    private T[][] _chunks = [];
    private int _chunkCount;

    public ChunkedArray(int chunkShift)
    {
        if (chunkShift is < 0 or > 24) throw new ArgumentOutOfRangeException(nameof(chunkShift));
        _shift = chunkShift;
        _mask = (1u << chunkShift) - 1;
    }

    /// <summary>Elements that fit without growing.</summary>
    public long Capacity => (long)_chunkCount << _shift;

    /// <summary>The element at <paramref name="index"/>; out of capacity throws (bounds-checked by the runtime).</summary>
    public ref T this[uint index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref _chunks[index >> _shift][index & _mask];
    }

    /// <summary>Writer: makes <paramref name="index"/> addressable (new chunks are zeroed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureCapacity(uint index)
    {
        if ((index >> _shift) >= (uint)_chunkCount) Grow(index >> _shift);
    }

    private void Grow(uint lastChunk)
    {
        int needed = checked((int)lastChunk + 1);
        T[][] table = _chunks;
        if (table.Length < needed)
        {
            var bigger = new T[Math.Max(needed, Math.Max(4, table.Length * 2))][];
            table.AsSpan(0, _chunkCount).CopyTo(bigger);
            table = bigger;
        }
        for (int c = _chunkCount; c < needed; c++) table[c] = new T[1 << _shift];
        // Entries past _chunkCount of a table already published are read by nobody until a later release publishes a
        // slot in them, so filling them in place is safe; a new table is published as a whole.
        if (!ReferenceEquals(table, _chunks)) Volatile.Write(ref _chunks, table);
        _chunkCount = needed;
    }
}
