using System.Text.Json.Nodes;
using Grape.Core.Points;

namespace Grape.Core.Embedded;

public sealed partial class GrapeDatabase
{
    /// <summary>Merges <paramref name="payload"/> into the selected points' payloads (into the object at <paramref name="key"/> when given).
    /// Throws <see cref="Errors.PointNotFoundException"/> if a listed id does not exist; then nothing changes.</summary>
    public ValueTask<UpdateResult> SetPayloadAsync(string collection, JsonObject payload, PointsSelector selector, string? key = null, WriteOptions? write = null, CancellationToken cancellationToken = default)
        => UpdateAsync(collection, new UpdateOperation.SetPayload(payload, selector, key), write, cancellationToken);

    public UpdateResult SetPayload(string collection, JsonObject payload, PointsSelector selector, string? key = null, WriteOptions? write = null)
        => Wait(SetPayloadAsync(collection, payload, selector, key, write));

    /// <summary>Replaces the selected points' payloads with <paramref name="payload"/>.</summary>
    public ValueTask<UpdateResult> OverwritePayloadAsync(string collection, JsonObject payload, PointsSelector selector, WriteOptions? write = null, CancellationToken cancellationToken = default)
        => UpdateAsync(collection, new UpdateOperation.OverwritePayload(payload, selector), write, cancellationToken);

    public UpdateResult OverwritePayload(string collection, JsonObject payload, PointsSelector selector, WriteOptions? write = null)
        => Wait(OverwritePayloadAsync(collection, payload, selector, write));

    /// <summary>Removes the given key paths from the selected points' payloads.</summary>
    public ValueTask<UpdateResult> DeletePayloadAsync(string collection, IReadOnlyList<string> keys, PointsSelector selector, WriteOptions? write = null, CancellationToken cancellationToken = default)
        => UpdateAsync(collection, new UpdateOperation.DeletePayload(keys, selector), write, cancellationToken);

    public UpdateResult DeletePayload(string collection, IReadOnlyList<string> keys, PointsSelector selector, WriteOptions? write = null)
        => Wait(DeletePayloadAsync(collection, keys, selector, write));

    /// <summary>Removes the whole payload of the selected points.</summary>
    public ValueTask<UpdateResult> ClearPayloadAsync(string collection, PointsSelector selector, WriteOptions? write = null, CancellationToken cancellationToken = default)
        => UpdateAsync(collection, new UpdateOperation.ClearPayload(selector), write, cancellationToken);

    public UpdateResult ClearPayload(string collection, PointsSelector selector, WriteOptions? write = null)
        => Wait(ClearPayloadAsync(collection, selector, write));

    /// <summary>Sets some named vectors of existing points, keeping their other vectors.</summary>
    public ValueTask<UpdateResult> UpdateVectorsAsync(string collection, IReadOnlyList<PointVectors> points, WriteOptions? write = null, CancellationToken cancellationToken = default)
        => UpdateAsync(collection, new UpdateOperation.UpdateVectors(points), write, cancellationToken);

    public UpdateResult UpdateVectors(string collection, IReadOnlyList<PointVectors> points, WriteOptions? write = null)
        => Wait(UpdateVectorsAsync(collection, points, write));

    /// <summary>Removes named vectors from the selected points.</summary>
    public ValueTask<UpdateResult> DeleteVectorsAsync(string collection, PointsSelector selector, IReadOnlyList<string> vectorNames, WriteOptions? write = null, CancellationToken cancellationToken = default)
        => UpdateAsync(collection, new UpdateOperation.DeleteVectors(selector, vectorNames), write, cancellationToken);

    public UpdateResult DeleteVectors(string collection, PointsSelector selector, IReadOnlyList<string> vectorNames, WriteOptions? write = null)
        => Wait(DeleteVectorsAsync(collection, selector, vectorNames, write));

    /// <summary>Forces a flush of every collection's segments to disk (they are also flushed every <c>flush_interval_sec</c>).</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        foreach (var name in _catalog.ListCollections())
        {
            cancellationToken.ThrowIfCancellationRequested();
            try { _catalog.Get(name).Flush(); } catch (Errors.CollectionNotFoundException) { } // deleted meanwhile
        }
        return ValueTask.CompletedTask;
    }

    public void Flush() => FlushAsync().AsTask().GetAwaiter().GetResult();
}
