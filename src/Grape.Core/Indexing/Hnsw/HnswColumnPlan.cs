using Grape.Core.Collections;
using Grape.Core.Indexing.Payload;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// What the optimizer wants for one vector column of the segments it builds: an HNSW graph with these parameters once
/// the column holds at least <paramref name="MinVectorBytes"/> of vectors (Qdrant's <c>indexing_threshold</c> in bytes).
/// </summary>
internal sealed record HnswColumnPlan(Distance Distance, int M, int EfConstruct, int Threads, bool OnDisk, long MinVectorBytes)
{
    /// <summary>Degree of the per-value payload graphs (Qdrant's <c>payload_m</c>, defaulting to <c>m</c>); 0: none.</summary>
    public int PayloadM { get; init; }

    /// <summary><c>full_scan_threshold</c> in bytes: value blocks with fewer points are searched exactly, so they get no links.</summary>
    public long FullScanBytes { get; init; }

    /// <summary>The keyword and integer indexes whose value blocks get payload links, sorted; empty without <see cref="PayloadM"/>.</summary>
    public IReadOnlyList<string> PayloadFields { get; init; } = [];

    /// <summary>Plans per column (shard column order) from a collection config; null where no graph is wanted
    /// (indexing disabled by <c>indexing_threshold</c> 0, or both <c>m</c> and <c>payload_m</c> 0).</summary>
    public static HnswColumnPlan?[] For(CollectionConfig config, IReadOnlyList<string> columnNames) =>
        For(config, columnNames, new Dictionary<string, PayloadFieldSchema>());

    /// <summary>As above, with the payload schema whose keyword and integer fields get payload links.</summary>
    public static HnswColumnPlan?[] For(CollectionConfig config, IReadOnlyList<string> columnNames, IReadOnlyDictionary<string, PayloadFieldSchema> payloadSchema)
    {
        var plans = new HnswColumnPlan?[columnNames.Count];
        if (config.OptimizersConfig.IndexingThreshold is not (> 0 and var thresholdKb)) return plans;
        var fields = PayloadLinkFields(payloadSchema);
        for (int c = 0; c < plans.Length; c++)
        {
            if (!config.Vectors.TryGetValue(columnNames[c], out VectorParams? p)) continue;
            HnswConfig h = config.HnswConfig.Apply(p.HnswConfig);
            int m = h.M >= 2 ? h.M : 0;
            // A multivector column gets a max_sim graph, without payload links (their block graphs are dense-only);
            // with m: 0 (the usual re-rank-only column) it has none and is scanned exactly.
            bool multi = p.MultivectorConfig is not null;
            int payloadM = !multi && (h.PayloadM ?? h.M) is >= 2 and var pm && fields.Count > 0 ? pm : 0;
            if (m == 0 && payloadM == 0) continue;
            plans[c] = new HnswColumnPlan(p.Distance, m, Math.Max(h.EfConstruct, 4), h.MaxIndexingThreads, h.OnDisk ?? false, thresholdKb * 1024L)
            {
                PayloadM = payloadM,
                FullScanBytes = h.FullScanThreshold * 1024L,
                PayloadFields = payloadM > 0 ? fields : [],
            };
        }
        return plans;
    }

    /// <summary>Keys of the indexes Qdrant builds block links for here: keyword and integer (per value and per value
    /// range), unless the index says <c>enable_hnsw: false</c>.</summary>
    private static List<string> PayloadLinkFields(IReadOnlyDictionary<string, PayloadFieldSchema> schema)
    {
        var keys = new List<string>();
        foreach (var (key, s) in schema)
        {
            if (s.Params?.EnableHnsw == false) continue;
            if (s.Type is PayloadSchemaType.Keyword or PayloadSchemaType.Integer) keys.Add(key);
        }
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Whether a column with <paramref name="vectorBytes"/> of vectors should have this graph.</summary>
    public bool Wants(long vectorBytes) => vectorBytes >= MinVectorBytes && vectorBytes > 0;

    /// <summary>Whether an existing graph was built this way (otherwise the segment is rebuilt): same parameters, and the
    /// payload links made for the same fields.</summary>
    public bool Matches(Storage.Segments.SegmentIndexSpec? spec) =>
        spec is not null && spec.M == M && spec.EfConstruct == EfConstruct && spec.OnDisk == OnDisk
        && spec.PayloadM == PayloadM && spec.PayloadFields.SequenceEqual(PayloadFields, StringComparer.Ordinal);

    /// <summary>The spec recorded for a graph built from this plan.</summary>
    public Storage.Segments.SegmentIndexSpec ToSpec() => new(M, EfConstruct, OnDisk) { PayloadM = PayloadM, PayloadFields = PayloadFields };
}
