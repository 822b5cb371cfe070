using Grape.Core.Embedded;
using Grape.Core.Errors;

namespace Grape.Core.Collections;

/// <summary>Turns a create request into a full, validated configuration.</summary>
internal static class CollectionConfigValidator
{
    public const int MaxDimension = 65_536; // Qdrant's limit on a dense vector's size

    public static CollectionConfig Build(CreateCollectionRequest request, GrapeOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Vectors is null || request.Vectors.Count == 0)
            ThrowHelper.BadRequest("Validation error in vectors: at least one vector must be configured");
        foreach (var (name, p) in request.Vectors)
        {
            if (name.Length > 0) Catalog.ValidateName(name, "vector name");
            if (p is null) ThrowHelper.BadRequest($"Validation error in vectors.{name}: parameters are missing");
            if (p.Size < 1 || p.Size > MaxDimension)
                ThrowHelper.BadRequest($"Validation error in vectors{(name.Length > 0 ? "." + name : "")}.size: value {p.Size} invalid, must be from 1 to {MaxDimension}");
            if (!Enum.IsDefined(p.Distance)) ThrowHelper.BadRequest($"Validation error in vectors.{name}.distance: unknown distance");
            Validate(p.HnswConfig, $"vectors.{name}.hnsw_config");
            if (p.Datatype is { } dt && !Enum.IsDefined(dt))
                ThrowHelper.BadRequest($"Validation error in vectors{(name.Length > 0 ? "." + name : "")}.datatype: unknown datatype");
            if (p.MultivectorConfig is { } mv && !Enum.IsDefined(mv.Comparator))
                ThrowHelper.BadRequest($"Validation error in vectors{(name.Length > 0 ? "." + name : "")}.multivector_config.comparator: unknown comparator");
        }
        if (request.ShardNumber is < 1) ThrowHelper.BadRequest("Validation error in shard_number: value 0 invalid, must be 1 or more");
        if (request.ReplicationFactor is < 1) ThrowHelper.BadRequest("Validation error in replication_factor: must be 1 or more");
        if (request.WriteConsistencyFactor is < 1) ThrowHelper.BadRequest("Validation error in write_consistency_factor: must be 1 or more");
        Validate(request.HnswConfig, "hnsw_config");
        var optimizers = options.DefaultOptimizersConfig.Apply(request.OptimizersConfig);
        Validate(optimizers);
        var wal = options.DefaultWalConfig;
        if (request.WalConfig is { } w)
            wal = wal with { WalCapacityMb = w.WalCapacityMb ?? wal.WalCapacityMb, WalSegmentsAhead = w.WalSegmentsAhead ?? wal.WalSegmentsAhead, WalRetainClosed = w.WalRetainClosed ?? wal.WalRetainClosed };
        if (wal.WalCapacityMb < 1) ThrowHelper.BadRequest("Validation error in wal_config.wal_capacity_mb: must be 1 or more");
        bool unnamed = request.Vectors.Count == 1 && request.Vectors.ContainsKey(Points.PointStruct.DefaultVector);
        return new CollectionConfig
        {
            Vectors = new Dictionary<string, VectorParams>(request.Vectors, StringComparer.Ordinal),
            UnnamedVector = unnamed,
            ShardNumber = request.ShardNumber ?? 1,
            ReplicationFactor = request.ReplicationFactor ?? 1,
            WriteConsistencyFactor = request.WriteConsistencyFactor ?? 1,
            OnDiskPayload = request.OnDiskPayload ?? true,
            HnswConfig = options.DefaultHnswConfig.Apply(request.HnswConfig),
            OptimizersConfig = optimizers,
            WalConfig = wal,
            Metadata = request.Metadata,
        };
    }

    public static void Validate(HnswConfigDiff? h, string path)
    {
        if (h is null) return;
        if (h.M is < 0) ThrowHelper.BadRequest($"Validation error in {path}.m: must be 0 or more");
        if (h.EfConstruct is < 4) ThrowHelper.BadRequest($"Validation error in {path}.ef_construct: value {h.EfConstruct} invalid, must be 4 or more");
        if (h.FullScanThreshold is < 10) ThrowHelper.BadRequest($"Validation error in {path}.full_scan_threshold: value {h.FullScanThreshold} invalid, must be 10 or more");
        if (h.MaxIndexingThreads is < 0) ThrowHelper.BadRequest($"Validation error in {path}.max_indexing_threads: must be 0 or more");
    }

    public static void Validate(OptimizersConfig o)
    {
        if (o.DeletedThreshold is < 0 or > 1 || double.IsNaN(o.DeletedThreshold)) ThrowHelper.BadRequest("Validation error in optimizers_config.deleted_threshold: must be from 0 to 1");
        if (o.VacuumMinVectorNumber < 100) ThrowHelper.BadRequest($"Validation error in optimizers_config.vacuum_min_vector_number: value {o.VacuumMinVectorNumber} invalid, must be 100 or more");
        if (o.DefaultSegmentNumber < 0) ThrowHelper.BadRequest("Validation error in optimizers_config.default_segment_number: must be 0 or more");
        if (o.MaxSegmentSize is < 1) ThrowHelper.BadRequest("Validation error in optimizers_config.max_segment_size: must be 1 or more");
        if (o.IndexingThreshold is < 0) ThrowHelper.BadRequest("Validation error in optimizers_config.indexing_threshold: must be 0 or more");
        if (o.FlushIntervalSec < 0) ThrowHelper.BadRequest("Validation error in optimizers_config.flush_interval_sec: must be 0 or more");
    }
}
