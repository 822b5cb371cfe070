using System.Numerics;
using System.Runtime.CompilerServices;

namespace Grape.Core.Storage.Segments;

/// <summary>
/// One bit per slot over a <see cref="ChunkedArray{T}"/> of 64-bit words, growable without moving published words.
/// Bits change with <c>Interlocked</c> operations so that a bit set by one thread never clobbers a neighbour set by
/// another (deleted bits may be set while a flush copies the words). Reads are plain 64-bit loads (atomic on 64-bit).
/// </summary>
internal sealed class ChunkedBitSet
{
    private readonly ChunkedArray<ulong> _words;

    /// <param name="slotChunkShift">log2 of the slots per chunk of the sibling per-slot arrays (bits per word chunk).</param>
    public ChunkedBitSet(int slotChunkShift) => _words = new ChunkedArray<ulong>(Math.Max(0, slotChunkShift - 6));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Get(uint index) => ((_words[index >> 6] >> (int)(index & 63)) & 1) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureCapacity(uint index) => _words.EnsureCapacity(index >> 6);

    /// <summary>Sets the bit; returns true if it was clear.</summary>
    public bool Set(uint index)
    {
        ulong bit = 1UL << (int)(index & 63);
        return (Interlocked.Or(ref _words[index >> 6], bit) & bit) == 0;
    }

    /// <summary>Clears the bit; returns true if it was set.</summary>
    public bool Clear(uint index)
    {
        ulong bit = 1UL << (int)(index & 63);
        return (Interlocked.And(ref _words[index >> 6], ~bit) & bit) != 0;
    }

    /// <summary>Copies words <paramref name="firstWord"/>.. into <paramref name="destination"/>; bits of slots at or past
    /// <paramref name="slotCount"/> are cleared in the copy (they belong to unpublished or unflushed slots).</summary>
    public void CopyWords(int firstWord, Span<ulong> destination, int slotCount)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            int w = firstWord + i;
            ulong word = Volatile.Read(ref _words[(uint)w]);
            destination[i] = word & ValidMask(w, slotCount);
        }
    }

    /// <summary>Writer, while loading: sets whole words from a file; bits at or past <paramref name="slotCount"/> are
    /// dropped (they belong to slots written after the flush). Returns the number of bits set.</summary>
    public long LoadWords(ReadOnlySpan<ulong> words, int slotCount)
    {
        if (slotCount > 0) EnsureCapacity((uint)slotCount - 1);
        long set = 0;
        for (int w = 0; w < words.Length; w++)
        {
            ulong word = words[w] & ValidMask(w, slotCount);
            if (word == 0) continue;
            _words.EnsureCapacity((uint)w);
            _words[(uint)w] = word;
            set += BitOperations.PopCount(word);
        }
        return set;
    }

    private static ulong ValidMask(int word, int slotCount)
    {
        long first = (long)word * 64;
        if (first + 64 <= slotCount) return ulong.MaxValue;
        if (first >= slotCount) return 0;
        return (1UL << (int)(slotCount - first)) - 1;
    }
}
