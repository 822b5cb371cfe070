using System.Numerics;
using System.Runtime.CompilerServices;
using Grape.Core.Collections;
using Grape.Core.Errors;
using Grape.Core.Storage.Mmap;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Storage.Vectors;

/// <summary>
/// One dense vector column of a segment: vector data in a memory-mapped file (<c>vectors/&lt;index&gt;.bin</c>),
/// slot <c>s</c> at <c>chunk(s) + (s mod slotsPerChunk) * dim * elementBytes</c> (4 for float32, 2 for float16, 1 for
/// uint8: components are stored in the column's <see cref="VectorDatatype"/>), plus a has-vector bit per slot
/// (<c>vectors/&lt;index&gt;.has</c>, u64 LE words) since a point may lack a named vector.
/// <para>
/// A chunk holds a power-of-two number of whole vectors, so a vector never crosses a chunk and <see cref="Get"/> is a
/// span straight into the mapping: no copy, no per-vector object. Appendable columns grow a chunk at a time (no
/// remapping of existing chunks); immutable ones are one exact-size file mapped as a single chunk. A slot without a
/// vector still owns its place in the file (zeros in immutable files, anything in appendable ones), so addressing stays
/// arithmetic.
/// </para>
/// <para>
/// OnDisk=false: an immutable column is read into memory of its own on open (on transparent huge pages where allowed:
/// fewer TLB misses for the graph search's random reads); an appendable one's mapped pages are pre-touched so the first
/// queries do not fault them in, and later growth is touched by the writer itself. The kernel may still evict mapped
/// pages under memory pressure (no mlock).
/// </para>
/// </summary>
internal sealed unsafe partial class DenseVectorStorage : IDisposable
{
    private readonly ChunkedMappedFile _data;
    private readonly ChunkedBitSet _has;
    private readonly string _hasPath;
    private readonly int _dimension;
    private readonly VectorDatatype _datatype;
    private readonly int _vectorBytes;
    private readonly int _slotShift;
    private readonly uint _slotMask;
    private long _storedCount;

    private DenseVectorStorage(ChunkedMappedFile data, ChunkedBitSet has, string hasPath, int dimension, VectorDatatype datatype, int slotShift)
    {
        _datatype = datatype;
        _data = data;
        _has = has;
        _hasPath = hasPath;
        _dimension = dimension;
        _vectorBytes = dimension * VectorEncoding.ElementBytes(datatype);
        _slotShift = slotShift;
        _slotMask = slotShift >= 32 ? uint.MaxValue : (1u << slotShift) - 1;
    }

    public int Dimension => _dimension;

    public VectorDatatype Datatype => _datatype;

    /// <summary>Bytes of one stored vector (dim × element bytes).</summary>
    public int StrideBytes => _vectorBytes;

    /// <summary>Slots holding a vector in this column (live or deleted).</summary>
    public long StoredCount => Volatile.Read(ref _storedCount);

    /// <summary>Bytes of vector data held: <see cref="StoredCount"/> × dim × element bytes.</summary>
    public long VectorBytes => StoredCount * _vectorBytes;

    /// <summary>Slots per chunk for a new appendable column: the largest power of two whose chunk fits
    /// <paramref name="targetChunkBytes"/> (at least one vector).</summary>
    public static int ChunkSlotsFor(int dimension, int elementBytes, int targetChunkBytes)
    {
        long fit = Math.Max(1, targetChunkBytes / ((long)dimension * elementBytes));
        return (int)Math.Min(1 << 30, 1L << BitOperations.Log2((ulong)fit));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Has(uint slot) => _has.Get(slot);

    /// <summary>Immutable columns: the address of slot 0's vector, every slot following contiguously (one mapping);
    /// null for appendable columns (chunked) or an empty one.</summary>
    public byte* ContiguousBase => _slotShift >= 31 && _data.ChunkCount > 0 ? (byte*)_data.Chunks[0] : null;

    /// <summary>The vector of a published slot of a float32 column, or empty if the slot has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> Get(uint slot)
    {
        System.Diagnostics.Debug.Assert(_datatype == VectorDatatype.Float32, "Other datatypes are read through GetRaw and decoded");
        if (!_has.Get(slot)) return default;
        // The has bit is set only after the chunk was mapped and the vector written, so the chunk is in the table.
        nint chunk = _data.Chunks[(int)(slot >> _slotShift)];
        return new ReadOnlySpan<float>((byte*)chunk + (nint)(slot & _slotMask) * _vectorBytes, _dimension);
    }

    /// <summary>The stored bytes of a published slot's vector (dim components in the column's datatype), or empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetRaw(uint slot)
    {
        if (!_has.Get(slot)) return default;
        nint chunk = _data.Chunks[(int)(slot >> _slotShift)];
        return new ReadOnlySpan<byte>((byte*)chunk + (nint)(slot & _slotMask) * _vectorBytes, _vectorBytes);
    }

    /// <summary>Writer, before the slot is published: makes room for it (may grow the file, map a chunk or allocate; on
    /// failure nothing visible changed).</summary>
    public void Reserve(uint slot, bool withVector)
    {
        _has.EnsureCapacity(slot);
        if (!withVector) return;
        int chunk = (int)(slot >> _slotShift);
        if (chunk >= _data.ChunkCount) _data.MapNext(chunk - _data.ChunkCount + 1);
    }

    /// <summary>Writer, after <see cref="Reserve"/> with a vector, before the slot is published.</summary>
    public void Write(uint slot, ReadOnlySpan<float> vector)
    {
        if (vector.Length != _dimension) throw new ArgumentException($"Expected {_dimension} values, got {vector.Length}", nameof(vector));
        nint chunk = _data.Chunks[(int)(slot >> _slotShift)];
        VectorEncoding.Encode(_datatype, vector, new Span<byte>((byte*)chunk + (nint)(slot & _slotMask) * _vectorBytes, _vectorBytes));
        _has.Set(slot);
        Volatile.Write(ref _storedCount, _storedCount + 1);
    }

    public void Dispose() => _data.Dispose();

    private static void CheckHighestVectorIsMapped(ChunkedMappedFile data, ChunkedBitSet has, int slotCount, int slotShift, int vectorBytes)
    {
        for (long s = slotCount - 1; s >= 0; s--)
        {
            if (!has.Get((uint)s)) continue;
            long end = ((s >> slotShift) + 1) * data.ChunkBytes;
            if (slotShift >= 31) end = (s + 1) * vectorBytes;
            if (data.FileLength < end)
                ThrowHelper.Corrupted($"Vector file `{data.Path}` ({data.FileLength} bytes) does not reach slot {s}");
            return;
        }
    }
}
