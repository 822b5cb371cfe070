using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Grape.Core.Errors;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The extra level-0 links of a graph built per value block of keyword and integer payload indexes (Qdrant's
/// <c>payload_m</c>): for each value held by enough points, a small HNSW graph over just those points, whose links are
/// merged here (those already in the node's main list left out). The filtered searcher follows them beside the main
/// list, so the graph restricted to one tenant or category stays connected. Kept apart from the main graph file
/// (<c>hnsw/&lt;column&gt;.payload.bin</c>) so that graph's format and its unfiltered search loop stay as they are.
/// <para>Layout: per-node ranges in one array (<see cref="Of"/>), and the entry point of every block graph (the seeds
/// of a filtered search when the main graph has no links, <c>m: 0</c>).</para>
/// </summary>
internal sealed class HnswPayloadLinks
{
    private const ulong Magic = 0x3130_4C50_4E48_5247; // "GRHNPL01" little-endian
    private const int Version = 1;

    private readonly uint[] _starts; // node n's links are _links[_starts[n] .. _starts[n + 1])
    private readonly uint[] _links;

    public HnswPayloadLinks(uint[] starts, uint[] links, uint[] entryPoints)
    {
        _starts = starts;
        _links = links;
        EntryPoints = entryPoints;
        int max = 0;
        Linked = new ulong[(starts.Length - 1 + 63) >> 6];
        for (int n = 0; n + 1 < starts.Length; n++)
        {
            int count = (int)(starts[n + 1] - starts[n]);
            max = Math.Max(max, count);
            if (count > 0) Linked[n >> 6] |= 1UL << n;
        }
        MaxLinks = max;
    }

    /// <summary>A bit per node with at least one payload link (a member of some block graph).</summary>
    public ulong[] Linked { get; }

    /// <summary>Whether every node set in <paramref name="nodes"/> (a bit per node) is in some block graph.</summary>
    public bool Covers(ReadOnlySpan<ulong> nodes)
    {
        // Bits past the last node (a tree's complement sets them) are not nodes.
        int words = Math.Min(nodes.Length, Linked.Length);
        for (int i = 0; i < words; i++)
        {
            ulong valid = ((long)(i + 1) << 6) <= NodeCount ? ~0UL : (1UL << (NodeCount & 63)) - 1;
            if ((nodes[i] & valid & ~Linked[i]) != 0) return false;
        }
        return true;
    }

    public int NodeCount => _starts.Length - 1;

    /// <summary>Entry points of the block graphs, one per block.</summary>
    public uint[] EntryPoints { get; }

    /// <summary>The most extra links one node has.</summary>
    public int MaxLinks { get; }

    public long LinkCount => _links.Length;

    public long MemoryBytes => (_starts.Length + _links.Length + EntryPoints.Length) * 4L;

    /// <summary>The extra links of <paramref name="node"/>.</summary>
    public ReadOnlySpan<uint> Of(uint node)
    {
        uint start = _starts[node];
        return new ReadOnlySpan<uint>(_links, (int)start, (int)(_starts[node + 1] - start));
    }

    /// <summary>Builds from per-node lists (null: none).</summary>
    public static HnswPayloadLinks FromLists(List<uint>?[] lists, uint[] entryPoints)
    {
        var starts = new uint[lists.Length + 1];
        long total = 0;
        for (int n = 0; n < lists.Length; n++)
        {
            starts[n] = (uint)total;
            total += lists[n]?.Count ?? 0;
        }
        if (total > Array.MaxLength) throw new InvalidOperationException("Too many payload links");
        starts[lists.Length] = (uint)total;
        var links = new uint[total];
        for (int n = 0; n < lists.Length; n++)
            if (lists[n] is { } l) CollectionsMarshal.AsSpan(l).CopyTo(links.AsSpan((int)starts[n]));
        return new HnswPayloadLinks(starts, links, entryPoints);
    }

    /// <summary>Writes the file and fsyncs it (before the manifest names it).</summary>
    public void Save(string path)
    {
        var header = new byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), NodeCount);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), _links.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), EntryPoints.Length);
        using var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        fs.Write(header);
        fs.Write(MemoryMarshal.AsBytes(_starts.AsSpan()));
        fs.Write(MemoryMarshal.AsBytes(_links.AsSpan()));
        fs.Write(MemoryMarshal.AsBytes(EntryPoints.AsSpan()));
        fs.Flush(flushToDisk: true);
    }

    public static HnswPayloadLinks Open(string path, int nodeCount)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StorageCorruptedException($"HNSW payload links `{path}` are missing", e);
        }
        if (bytes.Length < 32 || BinaryPrimitives.ReadUInt64LittleEndian(bytes) != Magic) ThrowHelper.Corrupted($"`{path}` is not an HNSW payload link file");
        if (BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)) != Version) ThrowHelper.Corrupted($"HNSW payload links `{path}` have another version");
        int nodes = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        long links = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16));
        int entries = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24));
        long expected = 32 + ((nodes + 1L + links + entries) * 4);
        if (nodes != nodeCount || links < 0 || entries < 0 || bytes.Length != expected)
            ThrowHelper.Corrupted($"HNSW payload links `{path}` do not match their graph ({bytes.Length} bytes, {nodes} nodes)");
        var starts = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan(32, (nodes + 1) * 4)).ToArray();
        var all = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan(32 + ((nodes + 1) * 4), (int)(links * 4))).ToArray();
        var entryPoints = MemoryMarshal.Cast<byte, uint>(bytes.AsSpan((int)(expected - (entries * 4L)), entries * 4)).ToArray();
        for (int n = 0; n < nodes; n++)
            if (starts[n] > starts[n + 1]) ThrowHelper.Corrupted($"HNSW payload links `{path}` are not ordered");
        if (starts[nodes] != links) ThrowHelper.Corrupted($"HNSW payload links `{path}` have a bad link count");
        foreach (uint l in all)
            if (l >= (uint)nodes) ThrowHelper.Corrupted($"HNSW payload links `{path}` link past the graph");
        foreach (uint e in entryPoints)
            if (e >= (uint)nodes) ThrowHelper.Corrupted($"HNSW payload links `{path}` have a bad entry point");
        return new HnswPayloadLinks(starts, all, entryPoints);
    }
}
