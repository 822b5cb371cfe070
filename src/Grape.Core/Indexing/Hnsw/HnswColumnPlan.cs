using Grape.Core.Collections;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// What the optimizer wants for one vector column of the segments it builds: an HNSW graph with these parameters once
/// the column holds at least <paramref name="MinVectorBytes"/> of vectors (Qdrant's <c>indexing_threshold</c> in bytes).
/// </summary>
internal sealed record HnswColumnPlan(Distance Distance, int M, int EfConstruct, int Threads, bool OnDisk, long MinVectorBytes)
{
    /// <summary>Plans per column (shard column order) from a collection config; null where no graph is wanted
    /// (indexing disabled by <c>indexing_threshold</c> 0, or <c>m</c> 0).</summary>
    public static HnswColumnPlan?[] For(CollectionConfig config, IReadOnlyList<string> columnNames)
    {
        var plans = new HnswColumnPlan?[columnNames.Count];
        if (config.OptimizersConfig.IndexingThreshold is not (> 0 and var thresholdKb)) return plans;
        for (int c = 0; c < plans.Length; c++)
        {
            if (!config.Vectors.TryGetValue(columnNames[c], out VectorParams? p)) continue;
            if (p.MultivectorConfig is not null) continue; // multivectors are searched exactly (no max_sim graph yet)
            HnswConfig h = config.HnswConfig.Apply(p.HnswConfig);
            if (h.M < 2) continue;
            plans[c] = new HnswColumnPlan(p.Distance, h.M, Math.Max(h.EfConstruct, 4), h.MaxIndexingThreads, h.OnDisk ?? false, thresholdKb * 1024L);
        }
        return plans;
    }

    /// <summary>Whether a column with <paramref name="vectorBytes"/> of vectors should have this graph.</summary>
    public bool Wants(long vectorBytes) => vectorBytes >= MinVectorBytes && vectorBytes > 0;

    /// <summary>Whether an existing graph was built this way (otherwise the segment is rebuilt).</summary>
    public bool Matches(Storage.Segments.SegmentIndexSpec? spec) =>
        spec is not null && spec.M == M && spec.EfConstruct == EfConstruct && spec.OnDisk == OnDisk;
}
