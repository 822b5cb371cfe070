using Grape.Core.Points;
using Grape.Core.Query;

namespace Grape.Core.Embedded;

public sealed partial class GrapeDatabase
{
    /// <summary>
    /// Qdrant's universal query: prefetches, then the query re-scores or fuses their points (see <see cref="QueryRequest"/>).
    /// Throws <see cref="Errors.BadRequestException"/> for an invalid query, <see cref="Errors.NotFoundException"/> for an
    /// example id (or collection) that does not exist. Pass <paramref name="explain"/> to receive the plan with timings.
    /// </summary>
    public ValueTask<IReadOnlyList<ScoredPoint>> QueryAsync(string collection, QueryRequest request, QueryExplain? explain = null, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        using var executor = new QueryExecutor(_catalog.Get(collection), _catalog.Get, cancellationToken, explain);
        return ValueTask.FromResult(executor.Run(request));
    }

    public IReadOnlyList<ScoredPoint> Query(string collection, QueryRequest request, QueryExplain? explain = null) =>
        QueryAsync(collection, request, explain).GetAwaiter().GetResult();

    /// <summary>Several queries against one collection, answered in order over one consistent view of it.</summary>
    public ValueTask<IReadOnlyList<IReadOnlyList<ScoredPoint>>> QueryBatchAsync(string collection, IReadOnlyList<QueryRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var _ = Enter();
        using var executor = new QueryExecutor(_catalog.Get(collection), _catalog.Get, cancellationToken);
        var results = new IReadOnlyList<ScoredPoint>[requests.Count];
        for (int i = 0; i < results.Length; i++) results[i] = executor.Run(requests[i]);
        return ValueTask.FromResult<IReadOnlyList<IReadOnlyList<ScoredPoint>>>(results);
    }

    public IReadOnlyList<IReadOnlyList<ScoredPoint>> QueryBatch(string collection, IReadOnlyList<QueryRequest> requests) =>
        QueryBatchAsync(collection, requests).GetAwaiter().GetResult();

    /// <summary>The query's points grouped by a payload value (Qdrant's <c>query_groups</c>, also behind search/recommend groups).</summary>
    public ValueTask<IReadOnlyList<PointGroup>> QueryGroupsAsync(string collection, QueryGroupsRequest request, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        using var executor = new QueryExecutor(_catalog.Get(collection), _catalog.Get, cancellationToken);
        return ValueTask.FromResult(executor.RunGroups(request));
    }

    public IReadOnlyList<PointGroup> QueryGroups(string collection, QueryGroupsRequest request) =>
        QueryGroupsAsync(collection, request).GetAwaiter().GetResult();

    /// <summary>Distances among a random sample of points (Qdrant's <c>search/matrix</c>; pairs and offsets are two renderings of it).</summary>
    public ValueTask<SearchMatrixResult> SearchMatrixAsync(string collection, SearchMatrixRequest request, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        using var executor = new QueryExecutor(_catalog.Get(collection), _catalog.Get, cancellationToken);
        return ValueTask.FromResult(executor.RunMatrix(request));
    }

    public SearchMatrixResult SearchMatrix(string collection, SearchMatrixRequest request) =>
        SearchMatrixAsync(collection, request).GetAwaiter().GetResult();

    /// <summary>A query run with order_by allowed without a payload index (tests of the ordering itself).</summary>
    internal IReadOnlyList<ScoredPoint> QueryWithoutIndexChecks(string collection, QueryRequest request)
    {
        using var _ = Enter();
        using var executor = new QueryExecutor(_catalog.Get(collection), _catalog.Get, CancellationToken.None) { RequireOrderByIndex = false };
        return executor.Run(request);
    }
}
