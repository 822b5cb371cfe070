using System.Diagnostics.CodeAnalysis;
using Grape.Core.Points;

namespace Grape.Core.Storage.Segments;

internal sealed partial class Segment
{
    /// <summary>Writes a point into a fresh slot (appendable only). <paramref name="vectors"/> is indexed like
    /// <see cref="Vectors"/>; a null entry means the point has no such vector. An empty payload means none.
    /// A live slot of the same id is marked deleted. Returns the new slot.</summary>
    /// <exception cref="InvalidOperationException">The segment is immutable or full.</exception>
    /// <exception cref="ArgumentException">Wrong number of vectors or a wrong dimension (nothing is written).</exception>
    public uint Upsert(ulong version, PointId id, ReadOnlySpan<float[]?> vectors, ReadOnlySpan<byte> payloadJson)
    {
        if (!IsAppendable) ThrowImmutable();
        if (vectors.Length != _vectors.Length)
            throw new ArgumentException($"Expected {_vectors.Length} vector entries, got {vectors.Length}", nameof(vectors));
        for (int i = 0; i < vectors.Length; i++)
        {
            if (vectors[i] is not { } v) continue;
            int dim = _specs[i].Dimension;
            if (_specs[i].Multi ? v.Length == 0 || v.Length % dim != 0 : v.Length != dim)
                throw new ArgumentException($"Vector `{_specs[i].Name}` expects {(_specs[i].Multi ? "sub-vectors of " : "")}dimension {dim}, got {v.Length} values", nameof(vectors));
        }

        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int count = _slotCount;
            if (count == int.MaxValue) throw new InvalidOperationException("The segment is full");
            uint slot = (uint)count;

            // Room first (allocation, file growth, mapping may fail): a failure leaves no trace in readable state.
            _ids.Reserve(slot);
            for (int i = 0; i < _vectors.Length; i++)
            {
                if (_vectors[i] is { } dense) dense.Reserve(slot, vectors[i] is not null);
                else _multi[i]!.Reserve(slot, vectors[i]?.Length ?? 0);
            }
            _payload.Reserve(slot, payloadJson.Length);

            // Then the data, then publish, then point the id at it.
            _ids.Write(slot, id, version);
            for (int i = 0; i < _vectors.Length; i++)
            {
                if (_vectors[i] is { } dense)
                {
                    if (vectors[i] is { } v) dense.Write(slot, v);
                }
                else
                {
                    _multi[i]!.Write(slot, vectors[i]);
                }
            }
            _payload.Write(slot, payloadJson);
            Volatile.Write(ref _slotCount, count + 1);
            _ids.SetLive(id, slot);
            _payloadIndex.Add(slot, payloadJson); // after publishing: readers never get an unpublished offset
            return slot;
        }
    }

    /// <summary>Marks the point deleted; returns false if it was not live here. Allowed on immutable segments
    /// (persisted by the next <see cref="Flush"/>).</summary>
    public bool Delete(PointId id)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _ids.Delete(id);
        }
    }

    [DoesNotReturn]
    private static void ThrowImmutable() => throw new InvalidOperationException("The segment is immutable: it only takes deletes");
}
