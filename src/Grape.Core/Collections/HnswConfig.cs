namespace Grape.Core.Collections;

/// <summary>Qdrant's <c>hnsw_config</c> with its defaults.</summary>
public sealed record HnswConfig
{
    public int M { get; init; } = 16;
    public int EfConstruct { get; init; } = 100;
    public int FullScanThreshold { get; init; } = 10_000;
    public int MaxIndexingThreads { get; init; }
    public bool? OnDisk { get; init; } = false;
    public int? PayloadM { get; init; }
    public bool? InlineStorage { get; init; }

    public HnswConfig Apply(HnswConfigDiff? diff) => diff is null ? this : this with
    {
        M = diff.M ?? M,
        EfConstruct = diff.EfConstruct ?? EfConstruct,
        FullScanThreshold = diff.FullScanThreshold ?? FullScanThreshold,
        MaxIndexingThreads = diff.MaxIndexingThreads ?? MaxIndexingThreads,
        OnDisk = diff.OnDisk ?? OnDisk,
        PayloadM = diff.PayloadM ?? PayloadM,
        InlineStorage = diff.InlineStorage ?? InlineStorage,
    };
}

/// <summary>A partial <see cref="HnswConfig"/>: only the members set change.</summary>
public sealed record HnswConfigDiff
{
    public int? M { get; init; }
    public int? EfConstruct { get; init; }
    public int? FullScanThreshold { get; init; }
    public int? MaxIndexingThreads { get; init; }
    public bool? OnDisk { get; init; }
    public int? PayloadM { get; init; }
    public bool? InlineStorage { get; init; }
}
