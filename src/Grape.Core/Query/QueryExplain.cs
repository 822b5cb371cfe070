using System.Diagnostics;

namespace Grape.Core.Query;

/// <summary>
/// Grape's query plan explanation (not in Qdrant): one entry per stage in the order stages finished (innermost
/// prefetches first), with the query form, how the stage was answered, how many points it produced and its time.
/// </summary>
public sealed class QueryExplain
{
    private readonly List<QueryStageInfo> _stages = [];

    public IReadOnlyList<QueryStageInfo> Stages => _stages;

    internal void Record(int depth, string role, string query, int prefetches, int candidates, string method, long startedTimestamp) =>
        _stages.Add(new QueryStageInfo(depth, role, query, method, prefetches, candidates, Stopwatch.GetElapsedTime(startedTimestamp)));
}

/// <summary>
/// One stage of a query: its depth (0 = the query itself), "query" or "prefetch", the query form, the method that
/// answered it (vector search — an index when the collection has one —, exact scan, fusion, formula, ...), how many
/// prefetches fed it, how many points it produced, and the time it took including its prefetches.
/// </summary>
public sealed record QueryStageInfo(int Depth, string Role, string Query, string Method, int Prefetches, int Candidates, TimeSpan Elapsed);
