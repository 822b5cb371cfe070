using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Grape.Core.Collections;
using Grape.Core.Points;
using Grape.Core.Storage.Payload;
using Grape.Core.Storage.Vectors;

namespace Grape.Core.Storage.Segments;

/// <summary>
/// A segment, Qdrant's unit of storage.
/// - Slots (internal offsets 0..SlotCount-1) are append-only: writing a point always takes a fresh slot, and a live
///   slot of the same id is marked deleted. Data in a published slot never changes (only its deleted bit), so readers
///   can read spans without locks.
/// - Thread safety: any number of readers run concurrently with ONE writer (the caller serializes writes; Upsert,
///   Delete and Flush also take a short internal lock, so a flush from another thread sees a consistent state).
/// - Appendable segments take <see cref="Upsert"/> and <see cref="Delete"/>; immutable ones (built by
///   <see cref="SegmentBuilder"/>) only take <see cref="Delete"/>.
/// - <see cref="Flush"/> persists the state as of now (slots, ids, versions, deleted bits, vectors, payloads) so that
///   <see cref="Open(string)"/> restores exactly that state after a crash, whatever was written after it (the shard
///   replays its WAL from there). Files are written so that a crash in the middle of a flush leaves the previous
///   flushed state. <see cref="Dispose"/> does not flush.
/// <para>
/// How readers stay lock-free: a slot's id, version, vectors, payload and has-vector bits are written first, then
/// <see cref="SlotCount"/> is published with <c>Volatile.Write</c>, then the id map points at the slot. Per-slot
/// arrays are chunked (never reallocated under a reader) and vector and payload data sit in memory-mapped chunks that
/// are never remapped while the segment is open; spans returned by <see cref="GetVector(uint, int)"/> and <see cref="GetPayload"/>
/// point into those mappings and stay valid until <see cref="Dispose"/> (the caller must not dispose under readers).
/// See <see cref="SegmentFiles"/> for the files.
/// </para>
/// </summary>
internal sealed partial class Segment : IDisposable
{
    private readonly IdTracker _ids;
    private readonly DenseVectorStorage?[] _vectors;   // null for multivector columns
    private readonly MultiVectorStorage?[] _multi;      // null for dense columns
    private readonly PayloadStorage _payload;
    private readonly SegmentVectorSpec[] _specs;
    private readonly int[] _chunkSlots;
    private readonly int _payloadChunkBytes;
    private readonly Lock _writeLock = new();
    private readonly Lock _flushLock = new();
    private int _slotCount;
    private bool _disposed;

    // What the last flush (or the open) made durable; guarded by _flushLock.
    private int _persistedCount;
    private long _persistedPayloadBytes;
    private long[] _persistedMultiBytes;                // per column, data bytes of multivector columns (0 for dense)
    private long _persistedDeleteMarks;
    private long _deletedGeneration;

    private Segment(string directory, SegmentManifest manifest, IdTracker ids, DenseVectorStorage?[] vectors, MultiVectorStorage?[] multi,
        PayloadStorage payload)
    {
        Directory = directory;
        Id = manifest.SegmentId;
        IsAppendable = manifest.Appendable;
        _specs = [.. manifest.Vectors];
        _chunkSlots = [.. manifest.VectorChunkSlots];
        _payloadChunkBytes = manifest.PayloadChunkBytes;
        _ids = ids;
        _vectors = vectors;
        _multi = multi;
        _persistedMultiBytes = new long[_specs.Length];
        for (int i = 0; i < _persistedMultiBytes.Length && i < manifest.MultiDataBytes.Count; i++) _persistedMultiBytes[i] = manifest.MultiDataBytes[i];
        _payload = payload;
        _slotCount = manifest.SlotCount;
        _persistedCount = manifest.SlotCount;
        _persistedPayloadBytes = manifest.PayloadBytes;
        _deletedGeneration = manifest.DeletedGeneration;
        _indexSpecs = new SegmentIndexSpec?[_specs.Length];
        _graphs = new Indexing.Hnsw.HnswGraph?[_specs.Length];
    }

    public Guid Id { get; }
    public string Directory { get; }
    public bool IsAppendable { get; }
    public IReadOnlyList<SegmentVectorSpec> Vectors => _specs;

    /// <summary>Slots in use, live or deleted: the exclusive upper bound of offsets.</summary>
    public int SlotCount => Volatile.Read(ref _slotCount);

    /// <summary>Points not deleted.</summary>
    public int LivePointCount => _ids.LiveCount;

    /// <summary>Bytes of vector data held by live and deleted slots that have a vector (dim × 4 per stored vector, summed
    /// over columns), for the optimizer's thresholds in the same sense as Qdrant's kilobytes of vectors.</summary>
    public long VectorBytes
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _specs.Length; i++) sum += ColumnVectorBytes(i);
            return sum;
        }
    }

    /// <summary>The live slot of <paramref name="id"/>, if the point is live here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetOffset(PointId id, out uint offset) => _ids.TryGetOffset(id, out offset);

    public PointId GetId(uint offset)
    {
        CheckOffset(offset);
        return _ids.Slot(offset).Id;
    }

    /// <summary>The op number that wrote this slot.</summary>
    public ulong GetVersion(uint offset)
    {
        CheckOffset(offset);
        return _ids.Slot(offset).Version;
    }

    public bool IsDeleted(uint offset)
    {
        CheckOffset(offset);
        return _ids.IsDeleted(offset);
    }

    /// <summary>Whether the slot has a value for the vector at <paramref name="vectorIndex"/> (index into <see cref="Vectors"/>).</summary>
    public bool HasVector(uint offset, int vectorIndex)
    {
        CheckOffset(offset);
        return _vectors[vectorIndex] is { } dense ? dense.Has(offset) : _multi[vectorIndex]!.Has(offset);
    }

    /// <summary>The stored vector as floats (empty if the slot has none). For a multivector column, every sub-vector
    /// flattened row-major (length = count × dimension). Float32 columns: a span into the mapping, valid while the segment
    /// is open. Float16/uint8 columns: the decoded values in a new array (per-candidate loops use the overload with a
    /// scratch buffer or <see cref="GetRawVector"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> GetVector(uint offset, int vectorIndex)
    {
        float[]? scratch = null;
        return GetVector(offset, vectorIndex, ref scratch);
    }

    /// <summary>As <see cref="GetVector(uint, int)"/>, decoding a float16/uint8 column into <paramref name="scratch"/>
    /// (grown when too small; the span is valid until the next call with the same scratch).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<float> GetVector(uint offset, int vectorIndex, scoped ref float[]? scratch)
    {
        CheckOffset(offset);
        VectorDatatype datatype = _specs[vectorIndex].Datatype;
        if (datatype == VectorDatatype.Float32)
            return _vectors[vectorIndex] is { } dense ? dense.Get(offset) : _multi[vectorIndex]!.Get(offset);
        return Decode(GetRawVector(offset, vectorIndex), datatype, ref scratch);
    }

    private static ReadOnlySpan<float> Decode(ReadOnlySpan<byte> raw, VectorDatatype datatype, scoped ref float[]? scratch)
    {
        if (raw.IsEmpty) return default;
        int n = raw.Length / VectorEncoding.ElementBytes(datatype);
        if (scratch is null || scratch.Length < n) scratch = new float[Math.Max(n, scratch?.Length * 2 ?? 0)];
        VectorEncoding.Decode(datatype, raw, scratch);
        return scratch.AsSpan(0, n);
    }

    /// <summary>The stored bytes of a vector (components in the column's <see cref="SegmentVectorSpec.Datatype"/>), empty
    /// if the slot has none: a span into the mapping, valid while the segment is open.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetRawVector(uint offset, int vectorIndex)
    {
        CheckOffset(offset);
        return _vectors[vectorIndex] is { } dense ? dense.GetRaw(offset) : _multi[vectorIndex]!.GetRaw(offset);
    }

    /// <summary>How column <paramref name="vectorIndex"/> stores its components.</summary>
    public VectorDatatype ColumnDatatype(int vectorIndex) => _specs[vectorIndex].Datatype;

    /// <summary>The payload as UTF-8 JSON of an object; empty when the point has no payload. A span into the mapping,
    /// valid while the segment is open.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> GetPayload(uint offset)
    {
        CheckOffset(offset);
        return _payload.Get(offset);
    }

    // Keeps every read inside published slots: beyond them a chunk may be unmapped. A plain read is enough: the caller
    // got the offset through an acquire (SlotCount or the id map) that follows the publication.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckOffset(uint offset)
    {
        if (offset >= (uint)_slotCount) ThrowOffset(offset);
    }

    [DoesNotReturn]
    private void ThrowOffset(uint offset) =>
        throw new ArgumentOutOfRangeException(nameof(offset), offset, $"Offset out of the segment's {SlotCount} slots (or the segment is closed)");
}
