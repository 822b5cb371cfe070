using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Embedded;

public sealed partial class GrapeDatabase
{
    /// <summary>Inserts or replaces points. The whole batch is validated first: on a <see cref="Errors.BadRequestException"/> nothing is written.</summary>
    public ValueTask<UpdateResult> UpsertAsync(string collection, IReadOnlyList<PointStruct> points, WriteOptions? write = null, CancellationToken cancellationToken = default)
        => UpdateAsync(collection, new UpdateOperation.Upsert(points), write, cancellationToken);

    public UpdateResult Upsert(string collection, IReadOnlyList<PointStruct> points, WriteOptions? write = null)
        => Wait(UpsertAsync(collection, points, write));

    /// <summary>Deletes the selected points.</summary>
    public ValueTask<UpdateResult> DeleteAsync(string collection, PointsSelector selector, WriteOptions? write = null, CancellationToken cancellationToken = default)
        => UpdateAsync(collection, new UpdateOperation.Delete(selector), write, cancellationToken);

    public UpdateResult Delete(string collection, PointsSelector selector, WriteOptions? write = null) => Wait(DeleteAsync(collection, selector, write));

    /// <summary>Deletes points by id.</summary>
    public UpdateResult Delete(string collection, IReadOnlyList<PointId> ids, WriteOptions? write = null) => Delete(collection, PointsSelector.Ids(ids), write);

    /// <summary>Deletes every point matching <paramref name="filter"/> (the seed's <c>delete_blocking(filter)</c>).</summary>
    public UpdateResult Delete(string collection, Filter filter, WriteOptions? write = null) => Delete(collection, PointsSelector.ByFilter(filter), write);

    /// <summary>Applies one write operation of any kind.</summary>
    public async ValueTask<UpdateResult> UpdateAsync(string collection, UpdateOperation operation, WriteOptions? write = null, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        return await _catalog.Get(collection).UpdateAsync(operation, write ?? WriteOptions.Default, cancellationToken).ConfigureAwait(false);
    }

    public UpdateResult Update(string collection, UpdateOperation operation, WriteOptions? write = null) => Wait(UpdateAsync(collection, operation, write));

    /// <summary>Applies write operations in order (Qdrant's batch update); each gets its own result. Every operation is
    /// validated before the first is applied.</summary>
    public async ValueTask<IReadOnlyList<UpdateResult>> BatchUpdateAsync(string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions? write = null, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        return await _catalog.Get(collection).BatchUpdateAsync(operations, write ?? WriteOptions.Default, cancellationToken).ConfigureAwait(false);
    }

    public IReadOnlyList<UpdateResult> BatchUpdate(string collection, IReadOnlyList<UpdateOperation> operations, WriteOptions? write = null)
        => BatchUpdateAsync(collection, operations, write).AsTask().GetAwaiter().GetResult();

    /// <summary>Reads points by id; missing ids are skipped (as Qdrant does).</summary>
    public ValueTask<IReadOnlyList<Record>> GetAsync(string collection, IReadOnlyList<PointId> ids, PayloadSelector? withPayload = null, VectorSelector? withVectors = null, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_catalog.Get(collection).Retrieve(ids, withPayload ?? PayloadSelector.All, withVectors ?? VectorSelector.None));
    }

    public IReadOnlyList<Record> Get(string collection, IReadOnlyList<PointId> ids, PayloadSelector? withPayload = null, VectorSelector? withVectors = null)
        => GetAsync(collection, ids, withPayload, withVectors).GetAwaiter().GetResult();

    /// <summary>Nearest neighbours of a vector, best first.</summary>
    public ValueTask<IReadOnlyList<ScoredPoint>> SearchAsync(string collection, SearchRequest request, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return ValueTask.FromResult(_catalog.Get(collection).Search(request, cancellationToken));
    }

    public IReadOnlyList<ScoredPoint> Search(string collection, SearchRequest request) => SearchAsync(collection, request).GetAwaiter().GetResult();

    /// <summary>Several searches against one collection, answered in order.</summary>
    public ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> SearchBatchAsync(string collection, IReadOnlyList<SearchRequest> requests, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        var c = _catalog.Get(collection);
        var results = new IReadOnlyList<ScoredPoint>[requests.Count];
        for (int i = 0; i < results.Length; i++) results[i] = c.Search(requests[i], cancellationToken);
        return ValueTask.FromResult<IReadOnlyList<IReadOnlyList<ScoredPoint>>>(results);
    }

    public IReadOnlyList<IReadOnlyList<ScoredPoint>> SearchBatch(string collection, IReadOnlyList<SearchRequest> requests)
        => SearchBatchAsync(collection, requests).GetAwaiter().GetResult();

    /// <summary>A page of points in id order, optionally filtered.</summary>
    public ValueTask<ScrollResult> ScrollAsync(string collection, ScrollRequest request, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return ValueTask.FromResult(_catalog.Get(collection).Scroll(request, cancellationToken));
    }

    public ScrollResult Scroll(string collection, ScrollRequest request) => ScrollAsync(collection, request).GetAwaiter().GetResult();

    /// <summary>How many points (match the filter).</summary>
    public ValueTask<long> CountAsync(string collection, CountRequest? request = null, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        return ValueTask.FromResult(_catalog.Get(collection).Count(request ?? new CountRequest(), cancellationToken));
    }

    public long Count(string collection, CountRequest? request = null) => CountAsync(collection, request).GetAwaiter().GetResult();

    // Blocking wait on a write; completes synchronously when wait=false.
    private static UpdateResult Wait(ValueTask<UpdateResult> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
