using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Grape.Core.Collections;
using Grape.Core.Storage.Payload;

namespace Grape.Core.Storage.Vectors;

/// <summary>
/// One multivector column of a segment: per slot a list of one or more sub-vectors of the column's dimension.
/// <para>
/// Layout: every slot's sub-vectors flattened row-major, appended to one memory-mapped data file
/// (<c>vectors/&lt;index&gt;.bin</c>), and a per-slot (byte offset, byte length) table (<c>vectors/&lt;index&gt;.idx</c>,
/// 16 bytes a slot: offset u64 LE, length i32 LE, 4 zero bytes; length 0 = the slot has no vector). A slot's data never
/// crosses a mapped view (it starts at the next chunk boundary when the rest of the last view is too small, and a
/// multivector larger than a chunk gets a view of several chunks), so <see cref="Get"/> is one span straight into the
/// mapping: no copy and no per-point object, the same zero-copy read as the dense column. Every length is a multiple
/// of the element size (4, 2 or 1 bytes for float32, float16, uint8: components are stored in the column's
/// <see cref="VectorDatatype"/>) and chunk sizes are powers of two, so the components stay aligned.
/// </para>
/// <para>
/// This is the append-only blob log of <see cref="PayloadStorage"/> (same durability rules: data msync + fsync, then the
/// table, then the manifest records the data's byte count as the commit point), typed as floats. Why not the dense
/// column with a fixed maximum of sub-vectors: ColBERT-style multivectors vary from a few to hundreds of rows per
/// point, so a fixed stride would waste most of the file. Immutable segments get one exact-size file mapped read-only.
/// </para>
/// </summary>
internal sealed class MultiVectorStorage : IDisposable
{
    private readonly PayloadStorage _data;
    private readonly int _dimension;
    private readonly VectorDatatype _datatype;
    private readonly int _elementBytes;
    private long _storedCount;
    private long _storedBytes;

    private MultiVectorStorage(PayloadStorage data, int dimension, VectorDatatype datatype, long storedCount, long storedBytes)
    {
        _data = data;
        _dimension = dimension;
        _datatype = datatype;
        _elementBytes = VectorEncoding.ElementBytes(datatype);
        _storedCount = storedCount;
        _storedBytes = storedBytes;
    }

    public int Dimension => _dimension;

    public VectorDatatype Datatype => _datatype;

    /// <summary>Slots holding a multivector (live or deleted).</summary>
    public long StoredCount => Volatile.Read(ref _storedCount);

    /// <summary>Bytes of sub-vector data held (all sub-vectors × dim × element bytes).</summary>
    public long VectorBytes => Volatile.Read(ref _storedBytes);

    /// <summary>Bytes of the data file in use (writer side): what a flush records in the manifest.</summary>
    public long Tail => _data.Tail;

    public static void CreateFiles(string dataPath, string indexPath) => PayloadStorage.CreateFiles(dataPath, indexPath);

    /// <summary>Appendable columns: chunk bytes for new data (a power of two, at least one sub-vector's worth of room is
    /// not needed: larger multivectors get views of several chunks).</summary>
    public static int ChunkBytesFor(int targetChunkBytes) => (int)Math.Min(1 << 30, 1L << System.Numerics.BitOperations.Log2((uint)Math.Max(64, targetChunkBytes)));

    /// <summary>
    /// Opens a column of <paramref name="slotCount"/> slots whose data uses <paramref name="dataBytes"/> bytes.
    /// <paramref name="chunkBytes"/> &gt; 0 (a power of two): appendable; 0: immutable, exact-size read-only file.
    /// </summary>
    public static MultiVectorStorage Open(string dataPath, string indexPath, int dimension, VectorDatatype datatype, int chunkBytes, int slotCount, long dataBytes,
        bool onDisk, int slotChunkShift)
    {
        var data = PayloadStorage.Open(dataPath, indexPath, chunkBytes, slotCount, dataBytes, slotChunkShift);
        try
        {
            long count = 0, bytes = 0;
            int rowBytes = dimension * VectorEncoding.ElementBytes(datatype);
            for (uint s = 0; s < (uint)slotCount; s++)
            {
                int length = data.Get(s).Length;
                if (length == 0) continue;
                if (length % rowBytes != 0)
                    Errors.ThrowHelper.Corrupted($"Multivector index `{indexPath}` gives slot {s} {length} bytes, not a whole number of {dimension}-dim sub-vectors");
                count++;
                bytes += length;
            }
            if (!onDisk) data.PreTouch();
            return new MultiVectorStorage(data, dimension, datatype, count, bytes);
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Has(uint slot) => !_data.Get(slot).IsEmpty;

    private RowTable? _rowTable;

    /// <summary>
    /// Per slot of an immutable column (<paramref name="slotCount"/> published slots, none added later): the address of
    /// its first sub-vector in the mapping and its sub-vector count (0: no vector). What a multivector graph scores
    /// through: two array loads per node instead of the chunked slot table. Built once (12 bytes a slot) and kept; the
    /// addresses are valid while the segment is open.
    /// </summary>
    public unsafe RowTable GetRowTable(int slotCount)
    {
        if (Volatile.Read(ref _rowTable) is { } cached && cached.Starts.Length == slotCount) return cached;
        var starts = new nint[slotCount];
        var rows = new int[slotCount];
        int rowBytes = _dimension * _elementBytes;
        for (uint s = 0; s < (uint)slotCount; s++)
        {
            ReadOnlySpan<byte> data = _data.Get(s);
            if (data.IsEmpty) continue;
            starts[s] = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(data)); // native mapping: never moves
            rows[s] = data.Length / rowBytes;
        }
        var table = new RowTable(starts, rows);
        Volatile.Write(ref _rowTable, table);
        return table;
    }

    /// <summary>See <see cref="GetRowTable"/>.</summary>
    internal sealed record RowTable(nint[] Starts, int[] Rows);

    /// <summary>The sub-vectors of a published slot of a float32 column flattened row-major (length = count × dim), or
    /// empty if the slot has none. A span into the mapping, valid while the segment is open.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> Get(uint slot) => MemoryMarshal.Cast<byte, float>(_data.Get(slot));

    /// <summary>The stored bytes of a slot's sub-vectors (components in the column's datatype), or empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetRaw(uint slot) => _data.Get(slot);

    /// <summary>Writer, before the slot is published: makes room for <paramref name="floats"/> values (0: no vector).</summary>
    public void Reserve(uint slot, int floats) => _data.Reserve(slot, floats * _elementBytes);

    /// <summary>Writer, after <see cref="Reserve"/> with the same length, before the slot is published. Empty = no vector.</summary>
    public void Write(uint slot, ReadOnlySpan<float> flat)
    {
        if (flat.Length % _dimension != 0) throw new ArgumentException($"Expected whole {_dimension}-dim sub-vectors, got {flat.Length} values", nameof(flat));
        _data.Write(slot, _datatype == VectorDatatype.Float32 ? MemoryMarshal.AsBytes(flat) : VectorEncoding.Encode(_datatype, flat));
        if (flat.IsEmpty) return;
        Volatile.Write(ref _storedBytes, _storedBytes + (long)flat.Length * _elementBytes);
        Volatile.Write(ref _storedCount, _storedCount + 1);
    }

    /// <summary>Makes slots [<paramref name="from"/>, <paramref name="to"/>) durable: data bytes
    /// [<paramref name="bytesFrom"/>, <paramref name="bytesTo"/>) (msync + fsync), then their table entries (fsync).</summary>
    public void Persist(uint from, uint to, long bytesFrom, long bytesTo) => _data.Persist(from, to, bytesFrom, bytesTo);

    public void Dispose() => _data.Dispose();
}
