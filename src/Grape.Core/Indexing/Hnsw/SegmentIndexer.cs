using Grape.Core.Storage.Segments;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Builds the HNSW graphs of a freshly built immutable segment (before it is published): one per column whose plan wants
/// one, from the segment's own mapped vectors, saved under <c>hnsw/</c> and then committed by the segment's manifest.
/// Deleted slots (superseded copies) are left out of the graph.
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
                HnswGraph graph = HnswIndex.Build(plan.Distance, segment.ColumnDatatype(c), segment.GetVectorBlock(c), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes),
                    new HnswBuildOptions(plan.M, plan.EfConstruct, plan.Threads), ct);
                graphs[c] = graph;
                Directory.CreateDirectory(SegmentFiles.HnswDir(segment.Directory));
                string path = SegmentFiles.HnswPath(segment.Directory, c);
                File.Delete(path); // a stray file of an interrupted build
                graph.Save(path);
                if (plan.OnDisk)
                {
                    graphs[c] = null;
                    graph.Dispose();
                    graphs[c] = HnswGraph.Open(path, onDisk: true);
                }
                specs[c] = new SegmentIndexSpec(plan.M, plan.EfConstruct, plan.OnDisk);
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
}
