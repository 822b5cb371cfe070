using Grape.Core.Points;

namespace Grape.Core.Storage.Segments;

/// <summary>One dense vector column of a segment. Vectors are stored as given (already normalized for cosine).</summary>
internal sealed record SegmentVectorSpec(string Name, int Dimension, bool OnDisk);

/// <summary>
/// CONTRACT (to implement): a segment, Qdrant's unit of storage.
/// - Slots (internal offsets 0..SlotCount-1) are append-only: writing a point always takes a fresh slot, and a live
///   slot of the same id is marked deleted. Data in a published slot never changes (only its deleted bit), so readers
///   can read spans without locks.
/// - Thread safety: any number of readers run concurrently with ONE writer (the caller serializes writes).
/// - Appendable segments take <see cref="Upsert"/> and <see cref="Delete"/>; immutable ones (built by
///   <see cref="SegmentBuilder"/>) only take <see cref="Delete"/>.
/// - <see cref="Flush"/> persists the state as of now (slots, ids, versions, deleted bits, vectors, payloads) so that
///   <see cref="Open"/> restores exactly that state after a crash, whatever was written after it (the shard replays its
///   WAL from there). Files are written so that a crash in the middle of a flush leaves the previous flushed state.
/// </summary>
internal sealed class Segment : IDisposable
{
    public static Segment CreateAppendable(string directory, IReadOnlyList<SegmentVectorSpec> vectors) => throw new NotImplementedException();
    public static Segment Open(string directory) => throw new NotImplementedException();

    public Guid Id => throw new NotImplementedException();
    public string Directory => throw new NotImplementedException();
    public bool IsAppendable => throw new NotImplementedException();
    public IReadOnlyList<SegmentVectorSpec> Vectors => throw new NotImplementedException();

    /// <summary>Slots in use, live or deleted: the exclusive upper bound of offsets.</summary>
    public int SlotCount => throw new NotImplementedException();
    /// <summary>Points not deleted.</summary>
    public int LivePointCount => throw new NotImplementedException();
    /// <summary>Bytes of vector data held (for the optimizer's thresholds, in the same sense as Qdrant's kilobytes of vectors).</summary>
    public long VectorBytes => throw new NotImplementedException();

    /// <summary>The live slot of <paramref name="id"/>, if the point is live here.</summary>
    public bool TryGetOffset(PointId id, out uint offset) => throw new NotImplementedException();
    public PointId GetId(uint offset) => throw new NotImplementedException();
    /// <summary>The op number that wrote this slot.</summary>
    public ulong GetVersion(uint offset) => throw new NotImplementedException();
    public bool IsDeleted(uint offset) => throw new NotImplementedException();
    /// <summary>Whether the slot has a value for the vector at <paramref name="vectorIndex"/> (index into <see cref="Vectors"/>).</summary>
    public bool HasVector(uint offset, int vectorIndex) => throw new NotImplementedException();
    /// <summary>The stored vector (empty if the slot has none). Valid while the segment is open.</summary>
    public ReadOnlySpan<float> GetVector(uint offset, int vectorIndex) => throw new NotImplementedException();
    /// <summary>The payload as UTF-8 JSON of an object; empty when the point has no payload.</summary>
    public ReadOnlySpan<byte> GetPayload(uint offset) => throw new NotImplementedException();

    /// <summary>Writes a point into a fresh slot (appendable only). <paramref name="vectors"/> is indexed like
    /// <see cref="Vectors"/>; a null entry means the point has no such vector. An empty payload means none.</summary>
    public uint Upsert(ulong version, PointId id, ReadOnlySpan<float[]?> vectors, ReadOnlySpan<byte> payloadJson) => throw new NotImplementedException();

    /// <summary>Marks the point deleted; returns false if it was not live here. Allowed on immutable segments.</summary>
    public bool Delete(PointId id) => throw new NotImplementedException();

    /// <summary>Persists the current state durably (fsync).</summary>
    public void Flush() => throw new NotImplementedException();

    /// <summary>Closes the segment and removes its folder.</summary>
    public void DeleteFiles() => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}

/// <summary>
/// CONTRACT (to implement): builds an immutable segment from live points of other segments (merge, vacuum; later
/// HNSW and payload indexes are built here). Call <see cref="Add"/> for each point, then <see cref="Build"/>.
/// </summary>
internal sealed class SegmentBuilder : IDisposable
{
    public SegmentBuilder(string directory, IReadOnlyList<SegmentVectorSpec> vectors) => throw new NotImplementedException();

    /// <summary>Copies the point at <paramref name="offset"/> of <paramref name="source"/> (id, version, vectors, payload).
    /// Returns the offset it gets in the new segment.</summary>
    public uint Add(Segment source, uint offset) => throw new NotImplementedException();

    /// <summary>Writes and fsyncs every file and opens the result as an immutable segment.</summary>
    public Segment Build() => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
