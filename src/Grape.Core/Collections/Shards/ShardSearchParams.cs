namespace Grape.Core.Collections.Shards;

/// <summary>
/// How a shard search treats each segment (Qdrant's semantics): a segment with a graph for the column is searched
/// through it with <paramref name="Ef"/> unless <paramref name="Exact"/> or its available vectors are fewer than
/// <paramref name="FullScanBytes"/> (<c>full_scan_threshold</c>); otherwise exactly. With <paramref name="IndexedOnly"/>
/// a segment without a graph is skipped when its vectors exceed <paramref name="IndexedOnlyBytes"/>
/// (max(<c>indexing_threshold</c>, <c>full_scan_threshold</c>)).
/// </summary>
internal readonly record struct ShardSearchParams(int Ef, bool Exact, bool IndexedOnly, long FullScanBytes, long IndexedOnlyBytes)
{
    /// <summary>Exact search of every segment.</summary>
    public static ShardSearchParams ExactScan => new(0, true, false, 0, 0);
}
