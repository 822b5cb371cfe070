namespace Grape.Core.Collections;

/// <summary>Qdrant's <c>optimizers_config</c> with its defaults.</summary>
public sealed record OptimizersConfig
{
    /// <summary>Fraction of deleted points in a segment above which it is vacuumed.</summary>
    public double DeletedThreshold { get; init; } = 0.2;
    /// <summary>Least number of points a segment must have to be vacuumed.</summary>
    public int VacuumMinVectorNumber { get; init; } = 1000;
    /// <summary>Target number of segments; 0 picks one from the CPU count.</summary>
    public int DefaultSegmentNumber { get; init; }
    /// <summary>Largest segment in kilobytes of vectors; null picks a default.</summary>
    public int? MaxSegmentSize { get; init; }
    /// <summary>Segments above this many kilobytes of vectors keep them on disk; null means per the vector's on_disk.</summary>
    public int? MemmapThreshold { get; init; }
    /// <summary>Segments above this many kilobytes of vectors get an HNSW index (0 disables indexing).</summary>
    public int? IndexingThreshold { get; init; } = 10_000;
    /// <summary>Seconds between flushes of segment data to disk.</summary>
    public int FlushIntervalSec { get; init; } = 5;
    /// <summary>Threads for optimizations per shard; null picks automatically.</summary>
    public int? MaxOptimizationThreads { get; init; }

    public OptimizersConfig Apply(OptimizersConfigDiff? diff) => diff is null ? this : this with
    {
        DeletedThreshold = diff.DeletedThreshold ?? DeletedThreshold,
        VacuumMinVectorNumber = diff.VacuumMinVectorNumber ?? VacuumMinVectorNumber,
        DefaultSegmentNumber = diff.DefaultSegmentNumber ?? DefaultSegmentNumber,
        MaxSegmentSize = diff.MaxSegmentSize ?? MaxSegmentSize,
        MemmapThreshold = diff.MemmapThreshold ?? MemmapThreshold,
        IndexingThreshold = diff.IndexingThreshold ?? IndexingThreshold,
        FlushIntervalSec = diff.FlushIntervalSec ?? FlushIntervalSec,
        MaxOptimizationThreads = diff.MaxOptimizationThreads ?? MaxOptimizationThreads,
    };
}

/// <summary>A partial <see cref="OptimizersConfig"/>.</summary>
public sealed record OptimizersConfigDiff
{
    public double? DeletedThreshold { get; init; }
    public int? VacuumMinVectorNumber { get; init; }
    public int? DefaultSegmentNumber { get; init; }
    public int? MaxSegmentSize { get; init; }
    public int? MemmapThreshold { get; init; }
    public int? IndexingThreshold { get; init; }
    public int? FlushIntervalSec { get; init; }
    public int? MaxOptimizationThreads { get; init; }
}
