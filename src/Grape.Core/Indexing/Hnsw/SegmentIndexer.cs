using Grape.Core.Storage.Segments;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Builds the HNSW graphs of a freshly built immutable segment (before it is published): one per column whose plan wants
/// one, from the segment's own mapped vectors, saved under <c>hnsw/</c> and then committed by the segment's manifest.
/// Deleted slots (superseded copies) are left out of the graph. With <c>payload_m</c>, the graph also gets the per-value
/// payload links of the plan's keyword and integer indexes (the segment's payload indexes must be built already); with
/// <c>m: 0</c> those are its only links. A multivector column's graph is built with max_sim
/// (<see cref="MultiVectorHnswIndex"/>) and has no payload links.
/// </summary>
internal static class SegmentIndexer
{
    /// <summary>Returns the number of graphs built.</summary>
    public static int BuildIndexes(Segment segment, IReadOnlyList<HnswColumnPlan?> plans, CancellationToken ct)
    {
        int columns = segment.Vectors.Count;
        var specs = new SegmentIndexSpec?[columns];
        var graphs = new HnswGraph?[columns];
        int built = 0;
        try
        {
            for (int c = 0; c < columns && c < plans.Count; c++)
            {
                if (plans[c] is not { } plan || !plan.Wants(segment.ColumnVectorBytes(c))) continue;
                var nodes = new List<uint>(segment.SlotCount);
                for (uint off = 0; off < (uint)segment.SlotCount; off++)
                {
                    if (!segment.IsDeleted(off) && segment.HasVector(off, c)) nodes.Add(off);
                }
                var options = new HnswBuildOptions(plan.M, plan.EfConstruct, plan.Threads);
                HnswGraph graph = plan.M < 2 ? HnswGraph.Empty(segment.SlotCount)
                    : segment.Vectors[c].Multi
                        ? MultiVectorHnswIndex.Build(plan.Distance, segment.ColumnDatatype(c), segment.GetMultiVectorBlock(c), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes), options, ct)
                        : HnswIndex.Build(plan.Distance, segment.ColumnDatatype(c), segment.GetVectorBlock(c), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes), options, ct);
                graphs[c] = graph;
                HnswPayloadLinks? payloadLinks = HnswPayloadLinksBuilder.Build(segment, c, graph, plan, ct);
                Directory.CreateDirectory(SegmentFiles.HnswDir(segment.Directory));
                string path = SegmentFiles.HnswPath(segment.Directory, c);
                string linksPath = SegmentFiles.HnswPayloadLinksPath(segment.Directory, c);
                File.Delete(path); // stray files of an interrupted build
                File.Delete(linksPath);
                if (plan.M < 2) graph.LinkedCount = CountLinked(payloadLinks, graph.NodeCount);
                graph.Save(path);
                // A plan with payload_m always leaves the file (maybe with no block) so the spec and the files agree.
                if (plan.PayloadM > 0) (payloadLinks ?? HnswPayloadLinks.FromLists(new List<uint>?[graph.NodeCount], [])).Save(linksPath);
                if (plan.OnDisk)
                {
                    graphs[c] = null;
                    graph.Dispose();
                    graph = HnswGraph.Open(path, onDisk: true);
                    graphs[c] = graph;
                }
                graph.PayloadLinks = payloadLinks;
                specs[c] = plan.ToSpec();
                built++;
            }
            if (built > 0) segment.AttachIndexes(specs, graphs);
            return built;
        }
        catch
        {
            foreach (HnswGraph? g in graphs) g?.Dispose();
            throw;
        }
    }

    /// <summary>Nodes reachable through payload links only (a graph with <c>m: 0</c>): its indexed vectors.</summary>
    private static int CountLinked(HnswPayloadLinks? links, int nodes)
    {
        if (links is null) return 0;
        int n = 0;
        for (uint i = 0; i < (uint)nodes; i++)
            if (links.Of(i).Length > 0) n++;
        return n;
    }
}
