using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Grape.Core.Errors;
using Grape.Core.Storage.Mmap;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The graph file (<c>hnsw/&lt;column&gt;.bin</c> of a segment): raw little-endian arrays, so opening is a few large reads
/// (or one mapping) and no parsing:
/// <code>
/// [0, 4096)        header: magic "GRHNSW01", version, node count, M, M0, entry point, max level, linked count,
///                  upper-link count, file length (the rest of the page is zero)
/// [4096, ...)      level 0: NodeCount × (1 + M0) u32 — page-aligned so on_disk maps it in place
/// then             levels: NodeCount bytes, padded to 8
/// then             upper offsets: NodeCount i32, padded to 8
/// then             upper links: u32 × upper-link count
/// </code>
/// The file is written and fsynced before the segment manifest names it, so a file the manifest names is complete; the
/// length check on open catches a truncated copy anyway.
/// </summary>
internal sealed unsafe partial class HnswGraph
{
    private const ulong Magic = 0x3130_5753_4E48_5247; // "GRHNSW01" little-endian
    private const int Version = 1;
    private const int HeaderBytes = 4096;

    /// <summary>Writes the graph to <paramref name="path"/> (a new file) and fsyncs it.</summary>
    public void Save(string path)
    {
        long level0Bytes = (long)NodeCount * Level0Stride * sizeof(uint);
        long levelsEnd = HeaderBytes + level0Bytes + Pad8(NodeCount);
        long offsetsEnd = levelsEnd + Pad8(NodeCount * 4L);
        long total = offsetsEnd + (_upper.Length * 4L);

        var header = new byte[HeaderBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), NodeCount);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), M);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(20), M0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), EntryPoint);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(28), MaxLevel);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(32), LinkedCount);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(40), _upper.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(48), total);

        using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        fs.SetLength(total);
        fs.Write(header);
        byte* p = (byte*)_level0;
        for (long done = 0; done < level0Bytes;)
        {
            int n = (int)Math.Min(level0Bytes - done, 1 << 30);
            fs.Write(new ReadOnlySpan<byte>(p + done, n));
            done += n;
        }
        fs.Write(_levels);
        fs.Write(new byte[Pad8(NodeCount) - NodeCount]);
        fs.Write(MemoryMarshal.AsBytes(_upperOffsets.AsSpan()));
        fs.Write(new byte[Pad8(NodeCount * 4L) - (NodeCount * 4L)]);
        fs.Write(MemoryMarshal.AsBytes(_upper.AsSpan()));
        fs.Flush(flushToDisk: true);
    }

    /// <summary>Opens a saved graph: level 0 mapped from the file (<paramref name="onDisk"/>) or read into memory with
    /// large sequential reads; the small upper part always in memory.</summary>
    /// <exception cref="StorageCorruptedException">Missing, truncated, or not a graph file.</exception>
    public static HnswGraph Open(string path, bool onDisk)
    {
        FileStream fs;
        try
        {
            fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StorageCorruptedException($"HNSW graph `{path}` is missing", e);
        }
        HnswGraph? graph = null;
        try
        {
            Span<byte> header = stackalloc byte[64];
            ReadAt(fs, header, 0, path);
            if (BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic) ThrowHelper.Corrupted($"`{path}` is not an HNSW graph");
            if (BinaryPrimitives.ReadInt32LittleEndian(header[8..]) != Version) ThrowHelper.Corrupted($"HNSW graph `{path}` has another version");
            int nodes = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
            int m = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
            int m0 = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
            uint entry = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            int maxLevel = BinaryPrimitives.ReadInt32LittleEndian(header[28..]);
            int linked = BinaryPrimitives.ReadInt32LittleEndian(header[32..]);
            long upperCount = BinaryPrimitives.ReadInt64LittleEndian(header[40..]);
            long total = BinaryPrimitives.ReadInt64LittleEndian(header[48..]);
            if (nodes < 0 || m < 0 || m0 != 2 * m || upperCount < 0 || upperCount > Array.MaxLength || maxLevel > byte.MaxValue
                || (nodes > 0 && maxLevel >= 0 && entry >= (uint)nodes))
                ThrowHelper.Corrupted($"HNSW graph `{path}` has a bad header");
            long level0Bytes = (long)nodes * (1 + m0) * sizeof(uint);
            long levelsAt = HeaderBytes + level0Bytes;
            long offsetsAt = levelsAt + Pad8(nodes);
            long upperAt = offsetsAt + Pad8(nodes * 4L);
            if (total != upperAt + (upperCount * 4) || fs.Length != total) ThrowHelper.Corrupted($"HNSW graph `{path}` has {fs.Length} bytes, expected {total}");

            var levels = new byte[nodes];
            var offsets = new int[nodes];
            var upper = new uint[upperCount];
            ReadAt(fs, levels, levelsAt, path);
            ReadAt(fs, MemoryMarshal.AsBytes(offsets.AsSpan()), offsetsAt, path);
            ReadAt(fs, MemoryMarshal.AsBytes(upper.AsSpan()), upperAt, path);
            graph = new HnswGraph(m, m0, levels, offsets, upper) { EntryPoint = entry, MaxLevel = maxLevel, LinkedCount = linked };

            if (onDisk && level0Bytes > 0)
            {
                graph._view = MappedView.Map(fs, HeaderBytes, level0Bytes, writable: false);
                graph._file = fs;
                graph._level0 = (uint*)graph._view.Pointer;
                return graph;
            }
            graph._native = AllocateLevel0((nuint)level0Bytes);
            graph._level0 = (uint*)graph._native;
            byte* dst = (byte*)graph._native;
            for (long done = 0; done < level0Bytes;)
            {
                int n = (int)Math.Min(level0Bytes - done, 1 << 30);
                ReadAt(fs, new Span<byte>(dst + done, n), HeaderBytes + done, path);
                done += n;
            }
            fs.Dispose();
            return graph;
        }
        catch
        {
            graph?.Dispose();
            fs.Dispose();
            throw;
        }
    }

    private static long Pad8(long bytes) => (bytes + 7) & ~7L;

    private static void ReadAt(FileStream fs, Span<byte> destination, long offset, string path)
    {
        while (!destination.IsEmpty)
        {
            int n = RandomAccess.Read(fs.SafeFileHandle, destination, offset);
            if (n <= 0) ThrowHelper.Corrupted($"HNSW graph `{path}` is truncated");
            destination = destination[n..];
            offset += n;
        }
    }
}
