using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Grape.Core.Errors;
using Microsoft.Win32.SafeHandles;

namespace Grape.Core.Storage.Segments;

/// <summary>Positional reads and writes of segment tables (little-endian on disk, whatever the CPU).</summary>
internal static class FileIo
{
    /// <summary>Opens a table file for positional writes; dispose after <c>Flush(flushToDisk: true)</c>.</summary>
    public static FileStream OpenForWrite(string path) =>
        new(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; a short file is corruption.</summary>
    public static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset, string path)
    {
        while (!destination.IsEmpty)
        {
            int n = RandomAccess.Read(file, destination, offset);
            if (n <= 0) ThrowHelper.Corrupted($"File `{path}` ends before offset {offset + destination.Length}");
            destination = destination[n..];
            offset += n;
        }
    }

    /// <summary>Writes 64-bit words at byte <paramref name="offset"/>.</summary>
    public static void WriteWords(SafeFileHandle file, long offset, ReadOnlySpan<ulong> words)
    {
        if (BitConverter.IsLittleEndian)
        {
            RandomAccess.Write(file, MemoryMarshal.AsBytes(words), offset);
            return;
        }
        var swapped = new ulong[words.Length];
        BinaryPrimitives.ReverseEndianness(words, swapped);
        RandomAccess.Write(file, MemoryMarshal.AsBytes(swapped.AsSpan()), offset);
    }

    /// <summary>Reads up to <paramref name="maxWords"/> words of a word file (a shorter file means zero words after it).</summary>
    public static ulong[] ReadWords(string path, int maxWords)
    {
        using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(file);
        if (length % 8 != 0) ThrowHelper.Corrupted($"Bit file `{path}` has a length ({length}) that is not a whole number of words");
        var words = new ulong[(int)Math.Min(maxWords, length / 8)];
        ReadExactly(file, MemoryMarshal.AsBytes(words.AsSpan()), 0, path);
        if (!BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(words, words);
        return words;
    }

    /// <summary>Writes a whole new word file durably (it is referenced by the manifest only after this returns).</summary>
    public static void WriteWordFile(string path, ReadOnlySpan<ulong> words)
    {
        using var fs = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        WriteWords(fs.SafeFileHandle, 0, words);
        fs.Flush(flushToDisk: true);
    }

    public static long Length(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) ThrowHelper.Corrupted($"Segment file `{path}` is missing");
        return info.Length;
    }
}
