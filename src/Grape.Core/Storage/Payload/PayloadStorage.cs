using System.Numerics;
using System.Runtime.CompilerServices;
using Grape.Core.Storage.Mmap;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Storage.Payload;

/// <summary>
/// Payloads of a segment: UTF-8 JSON blobs appended to one memory-mapped file (<c>payload/blobs.bin</c>) and a per-slot
/// (offset, length) table (<c>payload/index.bin</c>, 16 bytes a slot: offset u64 LE, length i32 LE, 4 zero bytes).
/// <para>
/// Why this shape: a point's payload is written once and never changed in place (an update takes a new slot), so an
/// append-only log fits; reads then are two array loads and a pointer add, returning a span into the mapping with no
/// copy, no syscall and no per-point object, the same cost whether the page is resident or not (the kernel pages it in).
/// The simple alternative, a <c>byte[]</c> per slot in managed memory, reads as fast but holds every payload on the GC
/// heap (millions of objects to trace, all of them loaded at open) and still needs a file format to persist; a
/// key-value store (Qdrant's RocksDB or Gridstore) buys in-place updates we do not need. Space of deleted points is
/// reclaimed by the optimizer's rebuild (vacuum), not here.
/// </para>
/// <para>
/// A blob never crosses a mapped view: when it does not fit in the rest of the last view, it starts at the next chunk
/// boundary, and a blob larger than a chunk gets a view of several chunks. After a reopen the flushed prefix is one
/// view. Immutable segments have one exact-size file mapped read-only.
/// </para>
/// </summary>
internal sealed unsafe partial class PayloadStorage : IDisposable
{
    private readonly ChunkedMappedFile _blobs;
    private readonly ChunkedArray<PayloadRef> _refs;
    private readonly string _indexPath;
    private readonly int _chunkShift;
    private readonly long _chunkMask;
    private long _tail;
    private long _pendingStart;

    private PayloadStorage(ChunkedMappedFile blobs, ChunkedArray<PayloadRef> refs, string indexPath, int chunkShift, long tail)
    {
        _blobs = blobs;
        _refs = refs;
        _indexPath = indexPath;
        _chunkShift = chunkShift;
        _chunkMask = (1L << chunkShift) - 1;
        _tail = tail;
    }

    /// <summary>Bytes of the blob file in use (writer side; the next blob goes at or after it).</summary>
    public long Tail => _tail;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Get(uint slot)
    {
        PayloadRef r = _refs[slot];
        if (r.Length == 0) return default;
        nint chunk = _blobs.Chunks[(int)(r.Offset >> _chunkShift)];
        return new ReadOnlySpan<byte>((byte*)chunk + (r.Offset & _chunkMask), r.Length);
    }

    /// <summary>Writer, before the slot is published: makes room for a payload of <paramref name="length"/> bytes (may
    /// grow the file or map a view; on failure nothing visible changed).</summary>
    public void Reserve(uint slot, int length)
    {
        _refs.EnsureCapacity(slot);
        if (length == 0) return;
        long start = _tail;
        long mappedEnd = _blobs.MappedBytes;
        if (start + length > mappedEnd)
        {
            start = mappedEnd; // the rest of the last view is left unused: a blob never spans two views
            int chunks = (int)((length + _blobs.ChunkBytes - 1) >> _chunkShift);
            _blobs.MapNext(chunks);
        }
        _pendingStart = start;
    }

    /// <summary>Writer, after <see cref="Reserve"/> with the same length, before the slot is published.</summary>
    public void Write(uint slot, ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            _refs[slot] = default;
            return;
        }
        long start = _pendingStart;
        nint chunk = _blobs.Chunks[(int)(start >> _chunkShift)];
        json.CopyTo(new Span<byte>((byte*)chunk + (start & _chunkMask), json.Length));
        _refs[slot] = new PayloadRef(start, json.Length);
        _tail = start + json.Length;
    }

    /// <summary>Reads one byte per mapped page so the data is resident before the first query.</summary>
    public long PreTouch() => _blobs.PreTouch();

    public void Dispose() => _blobs.Dispose();

    private static int ShiftOf(long chunkBytes) => BitOperations.Log2((ulong)chunkBytes);
}
