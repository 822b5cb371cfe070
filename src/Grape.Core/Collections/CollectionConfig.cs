namespace Grape.Core.Collections;

/// <summary>
/// A collection's whole configuration (Qdrant's <c>CollectionConfig</c>). <see cref="Vectors"/> maps vector names to
/// their parameters; a collection with one unnamed vector has the single key "" and <see cref="UnnamedVector"/> true.
/// </summary>
public sealed record CollectionConfig
{
    public required IReadOnlyDictionary<string, VectorParams> Vectors { get; init; }
    /// <summary>True when the collection was created with one unnamed vector (Qdrant's single <c>VectorParams</c> form).</summary>
    public bool UnnamedVector { get; init; }
    public int ShardNumber { get; init; } = 1;
    public int ReplicationFactor { get; init; } = 1;
    public int WriteConsistencyFactor { get; init; } = 1;
    public bool OnDiskPayload { get; init; } = true;
    public HnswConfig HnswConfig { get; init; } = new();
    public OptimizersConfig OptimizersConfig { get; init; } = new();
    public WalConfig WalConfig { get; init; } = new();
    /// <summary>Free-form metadata stored with the collection (Qdrant's <c>metadata</c>).</summary>
    public System.Text.Json.Nodes.JsonObject? Metadata { get; init; }
}

/// <summary>What to create: the vectors and any non-default settings (Qdrant's <c>CreateCollection</c>).</summary>
public sealed record CreateCollectionRequest
{
    /// <summary>Vector name → parameters. Use <see cref="Points.PointStruct.DefaultVector"/> ("") for a single unnamed vector.</summary>
    public required IReadOnlyDictionary<string, VectorParams> Vectors { get; init; }
    public int? ShardNumber { get; init; }
    public int? ReplicationFactor { get; init; }
    public int? WriteConsistencyFactor { get; init; }
    public bool? OnDiskPayload { get; init; }
    public HnswConfigDiff? HnswConfig { get; init; }
    public OptimizersConfigDiff? OptimizersConfig { get; init; }
    public WalConfigDiff? WalConfig { get; init; }
    public System.Text.Json.Nodes.JsonObject? Metadata { get; init; }

    /// <summary>A collection with one unnamed vector.</summary>
    public static CreateCollectionRequest Single(int size, Distance distance, bool? onDisk = null) => new()
    {
        Vectors = new Dictionary<string, VectorParams> { [Points.PointStruct.DefaultVector] = new VectorParams(size, distance) { OnDisk = onDisk } },
    };
}

/// <summary>Changes to an existing collection (Qdrant's <c>UpdateCollection</c>).</summary>
public sealed record UpdateCollectionRequest
{
    /// <summary>Per-vector changes (on_disk, hnsw overrides); the size and distance cannot change.</summary>
    public IReadOnlyDictionary<string, VectorParamsDiff>? Vectors { get; init; }
    public OptimizersConfigDiff? OptimizersConfig { get; init; }
    public HnswConfigDiff? HnswConfig { get; init; }
    public int? ReplicationFactor { get; init; }
    public int? WriteConsistencyFactor { get; init; }
    public bool? OnDiskPayload { get; init; }
    public System.Text.Json.Nodes.JsonObject? Metadata { get; init; }
}

/// <summary>A partial <see cref="VectorParams"/>.</summary>
public sealed record VectorParamsDiff
{
    public bool? OnDisk { get; init; }
    public HnswConfigDiff? HnswConfig { get; init; }
}
