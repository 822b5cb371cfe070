using Grape.Core.Collections;
using Grape.Core.Indexing.Payload;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Builds a column's <see cref="HnswPayloadLinks"/> as Qdrant builds its additional links: for each keyword and integer
/// index of the plan, each value (and, for integer ranges, each value window) held by at least <c>full_scan_threshold</c>
/// points (fewer are searched exactly) gets a graph of degree <c>payload_m</c> over its live points with the vector; when the main graph exists, blocks
/// larger than 4 / (average level-0 degree) of the points are skipped (the main graph restricted to them stays connected
/// by percolation). Each block graph's level-0 links are merged into the nodes' extra lists, leaving out links the node
/// already has.
/// </summary>
internal static unsafe class HnswPayloadLinksBuilder
{
    private const int PercolationMultiplier = 4;
    private const int DeletedPointsFactor = 4;

    /// <summary>The links of <paramref name="main"/>'s nodes, or null when no block qualifies.</summary>
    public static HnswPayloadLinks? Build(Segment segment, int column, HnswGraph main, HnswColumnPlan plan, CancellationToken ct)
    {
        if (plan.PayloadM < 2 || plan.PayloadFields.Count == 0) return null;
        long stored = segment.ColumnVectorCount(column);
        if (stored == 0) return null;
        long bytesPerVector = Math.Max(1, segment.ColumnVectorBytes(column) / stored);
        long threshold = plan.FullScanBytes / bytesPerVector;
        long total = 0;
        for (uint off = 0; off < (uint)segment.SlotCount; off++)
            if (!segment.IsDeleted(off) && segment.HasVector(off, column)) total++;
        long maxBlock = long.MaxValue;
        if (main.M > 0 && main.LinkedCount > 0)
        {
            long links = 0;
            for (uint n = 0; n < (uint)main.NodeCount; n++) links += main.Links0(n)[0];
            long average = Math.Max(1, links / main.LinkedCount);
            maxBlock = total / average * PercolationMultiplier;
        }

        var lists = new List<uint>?[main.NodeCount];
        var entries = new List<uint>();
        VectorBlock vectors = segment.GetVectorBlock(column);
        foreach (string key in plan.PayloadFields)
        {
            foreach (ArraySegment<uint> values in Blocks(segment.PayloadIndex.Find(key), threshold))
            {
                ct.ThrowIfCancellationRequested();
                if (values.Count < threshold || values.Count > maxBlock) continue;
                var nodes = new List<uint>(values.Count);
                foreach (uint off in values.AsSpan())
                    if (!segment.IsDeleted(off) && segment.HasVector(off, column)) nodes.Add(off);
                nodes.Sort();
                int unique = 0; // a slot with several values in one range window appears once
                for (int i = 0; i < nodes.Count; i++)
                    if (unique == 0 || nodes[unique - 1] != nodes[i]) nodes[unique++] = nodes[i];
                nodes.RemoveRange(unique, nodes.Count - unique);
                if (nodes.Count <= threshold / DeletedPointsFactor || nodes.Count < 2) continue;
                using HnswGraph sub = HnswIndex.Build(plan.Distance, segment.ColumnDatatype(column), vectors, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes),
                    new HnswBuildOptions(plan.PayloadM, plan.EfConstruct, plan.Threads), ct);
                entries.Add(sub.EntryPoint);
                foreach (uint n in nodes) Merge(main, sub, n, ref lists[n]);
            }
        }
        return entries.Count == 0 ? null : HnswPayloadLinks.FromLists(lists, [.. entries]);
    }

    /// <summary>
    /// The slots of each block of an index: per value for keyword and integer lookups, and for an integer range column
    /// windows of about <paramref name="threshold"/> points in value order, each overlapping the next by half (Qdrant's
    /// histogram-balanced numeric blocks), so a range filter spanning several windows stays connected across them.
    /// </summary>
    private static IEnumerable<ArraySegment<uint>> Blocks(FieldIndex? index, long threshold)
    {
        switch (index)
        {
            case KeywordIndex k:
                foreach (var v in k.Values.OrderBy(v => v.Key, StringComparer.Ordinal)) yield return v.Value.Snapshot();
                break;
            case IntegerIndex i:
                if (i.LookupOn)
                    foreach (var v in i.Values.OrderBy(v => v.Key)) yield return v.Value.Snapshot();
                if (i.RangeValues is { } range && threshold > 1)
                {
                    var (_, offsets, count) = range.SortedSnapshot();
                    int step = (int)Math.Min(int.MaxValue / 4, Math.Max(1, threshold / 2));
                    if (count < threshold) break;
                    for (int start = 0; start + step < count; start += step)
                    {
                        int end = Math.Min(count, start + (2 * step));
                        if (count - end < step) end = count; // the last window takes the remainder
                        yield return new ArraySegment<uint>(offsets, start, end - start);
                        if (end == count) break;
                    }
                }
                break;
        }
    }

    /// <summary>Adds node's level-0 links of <paramref name="sub"/> that neither its main list nor its extra list has yet.</summary>
    private static void Merge(HnswGraph main, HnswGraph sub, uint node, ref List<uint>? extra)
    {
        uint* own = sub.Links0(node);
        ReadOnlySpan<uint> mainLinks = main.M0 > 0 ? new ReadOnlySpan<uint>(main.Links0(node) + 1, (int)main.Links0(node)[0]) : default;
        for (int j = 1; j <= (int)own[0]; j++)
        {
            uint nb = own[j];
            if (mainLinks.Contains(nb) || (extra is not null && extra.Contains(nb))) continue;
            (extra ??= new List<uint>(sub.M0)).Add(nb);
        }
    }
}
