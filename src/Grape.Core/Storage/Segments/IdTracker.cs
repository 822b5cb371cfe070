using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Grape.Core.Points;

namespace Grape.Core.Storage.Segments;

/// <summary>
/// Maps external point ids to their live slot, and keeps per slot the id, the version and the deleted bit.
/// <para>
/// Lookups run concurrently with one writer: the maps are <see cref="ConcurrentDictionary{TKey,TValue}"/> (lock-free
/// reads, ~20-40 ns), one per id form so the common numeric key is a plain <c>ulong</c> hashed by the default comparer
/// without going through <see cref="PointId"/>'s equality. Per-slot data sits in chunked arrays (see
/// <see cref="ChunkedArray{T}"/>); a slot is written before the segment publishes it and never changes after, except
/// its deleted bit.
/// </para>
/// </summary>
internal sealed partial class IdTracker
{
    private readonly ConcurrentDictionary<ulong, uint> _numbers;
    private readonly ConcurrentDictionary<Guid, uint> _uuids;
    private readonly ChunkedArray<SlotIdentity> _slots;
    private readonly ChunkedBitSet _deleted;
    private int _liveCount;
    private long _deleteMarks;

    public IdTracker(int slotChunkShift, int expectedLive = 0)
    {
        _numbers = new ConcurrentDictionary<ulong, uint>(Environment.ProcessorCount, Math.Max(31, expectedLive));
        _uuids = new ConcurrentDictionary<Guid, uint>(Environment.ProcessorCount, 31);
        _slots = new ChunkedArray<SlotIdentity>(slotChunkShift);
        _deleted = new ChunkedBitSet(slotChunkShift);
    }

    /// <summary>Points live here.</summary>
    public int LiveCount => Volatile.Read(ref _liveCount);

    /// <summary>Bumped whenever a deleted bit is set: a flush rewrites the deleted bits only when it moved.</summary>
    public long DeleteMarks => Volatile.Read(ref _deleteMarks);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetOffset(PointId id, out uint offset) =>
        id.IsUuid ? _uuids.TryGetValue(id.Uuid, out offset) : _numbers.TryGetValue(id.Number, out offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly SlotIdentity Slot(uint slot) => ref _slots[slot];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsDeleted(uint slot) => _deleted.Get(slot);

    /// <summary>Writer: makes <paramref name="slot"/> addressable; may allocate (and so fail) without changing state.</summary>
    public void Reserve(uint slot)
    {
        _slots.EnsureCapacity(slot);
        _deleted.EnsureCapacity(slot);
    }

    /// <summary>Writer, before the slot is published: fills it.</summary>
    public void Write(uint slot, PointId id, ulong version) => _slots[slot] = new SlotIdentity(id, version);

    /// <summary>
    /// Writer, after the slot is published: <paramref name="id"/> now lives at <paramref name="slot"/>; its previous live
    /// slot is marked deleted. The map moves first and the old slot is marked after, so a concurrent scan may briefly
    /// see both slots live (the holder keeps the newest version) but never neither.
    /// </summary>
    public void SetLive(PointId id, uint slot)
    {
        bool replaced;
        uint previous;
        if (id.IsUuid)
        {
            replaced = _uuids.TryGetValue(id.Uuid, out previous);
            _uuids[id.Uuid] = slot;
        }
        else
        {
            replaced = _numbers.TryGetValue(id.Number, out previous);
            _numbers[id.Number] = slot;
        }
        if (replaced) MarkDeleted(previous);
        else Volatile.Write(ref _liveCount, _liveCount + 1);
    }

    /// <summary>Writer: removes the point; returns false if it was not live.</summary>
    public bool Delete(PointId id)
    {
        bool removed = id.IsUuid ? _uuids.TryRemove(id.Uuid, out uint slot) : _numbers.TryRemove(id.Number, out slot);
        if (!removed) return false;
        MarkDeleted(slot);
        Volatile.Write(ref _liveCount, _liveCount - 1);
        return true;
    }

    private void MarkDeleted(uint slot)
    {
        if (_deleted.Set(slot)) Interlocked.Increment(ref _deleteMarks);
    }

    /// <summary>The deleted bits of slots below <paramref name="slotCount"/>, as 64-bit words.</summary>
    public ulong[] SnapshotDeleted(int slotCount)
    {
        var words = new ulong[(slotCount + 63) >> 6];
        _deleted.CopyWords(0, words, slotCount);
        return words;
    }
}
