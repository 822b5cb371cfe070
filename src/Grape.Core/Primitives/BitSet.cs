using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Grape.Core.Primitives;

/// <summary>
/// A growable set of bit indexes over 64-bit words (deleted marks, filter results).
/// Threading: <see cref="Set"/> and <see cref="Clear"/> are atomic per bit (Interlocked on the word), so concurrent
/// writers to neighbouring bits lose nothing, and <see cref="Get"/> is a plain read. Growing swaps the word array, so it
/// must not race with other writers: the single owner (e.g. the update worker) calls <see cref="EnsureCapacity"/>, or
/// sets bits past the end, only while no other thread writes.
/// </summary>
internal sealed class BitSet
{
    private ulong[] _words;
    private int _count;

    /// <summary>An empty set with room for <paramref name="capacity"/> bits before it grows.</summary>
    public BitSet(int capacity = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _words = new ulong[WordsFor(capacity)];
    }

    /// <summary>Bits that fit without growing (a multiple of 64).</summary>
    public int Capacity => _words.Length * 64;

    /// <summary>Number of set bits, kept exact by <see cref="Set"/>/<see cref="Clear"/> (O(1)).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes written by <see cref="CopyTo"/>: 8 per word, little-endian.</summary>
    public int ByteCount => _words.Length * sizeof(ulong);

    /// <summary>True when bit <paramref name="index"/> is set; indexes past the end read as unset.</summary>
    public bool Get(int index)
    {
        ulong[] words = _words;
        uint word = (uint)index >> 6;
        return word < (uint)words.Length && (words[word] & (1UL << index)) != 0;
    }

    /// <summary>Sets bit <paramref name="index"/>, growing if needed (see the threading note); true if it was unset.</summary>
    public bool Set(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        int word = index >> 6;
        if (word >= _words.Length)
        {
            EnsureCapacity(index + 1);
        }
        ulong bit = 1UL << index;
        if ((Interlocked.Or(ref _words[word], bit) & bit) != 0)
        {
            return false;
        }
        Interlocked.Increment(ref _count);
        return true;
    }

    /// <summary>Clears bit <paramref name="index"/>; true if it was set. Past the end it is a no-op.</summary>
    public bool Clear(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ulong[] words = _words;
        int word = index >> 6;
        if (word >= words.Length)
        {
            return false;
        }
        ulong bit = 1UL << index;
        if ((Interlocked.And(ref words[word], ~bit) & bit) == 0)
        {
            return false;
        }
        Interlocked.Decrement(ref _count);
        return true;
    }

    /// <summary>Grows so that bits 0..<paramref name="bits"/>−1 fit; at least doubles to keep appends amortized O(1).</summary>
    public void EnsureCapacity(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        int needed = WordsFor(bits);
        if (needed <= _words.Length)
        {
            return;
        }
        var grown = new ulong[Math.Max(needed, Math.Min(_words.Length * 2, Array.MaxLength))];
        _words.CopyTo(grown, 0);
        Volatile.Write(ref _words, grown);
    }

    /// <summary>Writes the words little-endian into <paramref name="destination"/> (at least <see cref="ByteCount"/> bytes); returns the bytes written.</summary>
    public int CopyTo(Span<byte> destination)
    {
        ulong[] words = _words;
        int bytes = words.Length * sizeof(ulong);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, bytes, nameof(destination));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(words.AsSpan()).CopyTo(destination);
        }
        else
        {
            for (int i = 0; i < words.Length; i++)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination[(i * sizeof(ulong))..], words[i]);
            }
        }
        return bytes;
    }

    /// <summary>
    /// Replaces the whole content with bits read from <paramref name="source"/> as written by <see cref="CopyTo"/> (a
    /// trailing partial word is zero-padded) and recounts. Not thread-safe with any other call.
    /// </summary>
    public void LoadFrom(ReadOnlySpan<byte> source)
    {
        var words = new ulong[(source.Length + sizeof(ulong) - 1) / sizeof(ulong)];
        Span<byte> bytes = MemoryMarshal.AsBytes(words.AsSpan());
        source.CopyTo(bytes);
        int count = 0;
        for (int i = 0; i < words.Length; i++)
        {
            if (!BitConverter.IsLittleEndian)
            {
                words[i] = BinaryPrimitives.ReverseEndianness(words[i]);
            }
            count += BitOperations.PopCount(words[i]);
        }
        _words = words;
        Volatile.Write(ref _count, count);
    }

    private static int WordsFor(int bits) => (int)(((uint)bits + 63) >> 6);
}
