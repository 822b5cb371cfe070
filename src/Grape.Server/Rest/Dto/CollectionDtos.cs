using System.Text.Json.Nodes;

namespace Grape.Server.Rest.Dto;

internal sealed record CollectionDescriptionDto(string Name);

internal sealed record CollectionsResponseDto(List<CollectionDescriptionDto> Collections);

internal sealed record CollectionExistenceDto(bool Exists);

internal sealed record AliasDescriptionDto(string AliasName, string CollectionName);

internal sealed record AliasesResponseDto(List<AliasDescriptionDto> Aliases);

/// <summary>Qdrant's <c>CollectionInfo</c>. <c>optimizer_status</c> is "ok" or <c>{"error": "..."}</c>.</summary>
internal sealed record CollectionInfoDto(
    string Status,
    JsonNode OptimizerStatus,
    long IndexedVectorsCount,
    long PointsCount,
    int SegmentsCount,
    CollectionConfigDto Config,
    Dictionary<string, PayloadIndexInfoDto> PayloadSchema);

internal sealed record CollectionConfigDto(
    CollectionParamsDto Params,
    HnswConfigDto HnswConfig,
    OptimizersConfigDto OptimizerConfig,
    WalConfigDto WalConfig,
    JsonObject? Metadata);

/// <summary><c>vectors</c> is a single VectorParams object for an unnamed-vector collection, else a map by name.</summary>
internal sealed record CollectionParamsDto(JsonNode Vectors, int ShardNumber, int ReplicationFactor, int WriteConsistencyFactor, bool OnDiskPayload);

internal sealed record HnswConfigDto(int M, int EfConstruct, int FullScanThreshold, int MaxIndexingThreads, bool? OnDisk, int? PayloadM);

internal sealed record OptimizersConfigDto(
    double DeletedThreshold, int VacuumMinVectorNumber, int DefaultSegmentNumber, int? MaxSegmentSize,
    int? MemmapThreshold, int? IndexingThreshold, int FlushIntervalSec, int? MaxOptimizationThreads);

internal sealed record WalConfigDto(int WalCapacityMb, int WalSegmentsAhead, int WalRetainClosed);

internal sealed record PayloadIndexInfoDto(string DataType, JsonObject? Params, long Points);
