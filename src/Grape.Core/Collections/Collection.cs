using System.Text.Json;
using System.Text.Json.Serialization;
using Grape.Core.Collections.Optimizer;
using Grape.Core.Collections.Shards;
using Grape.Core.Distances;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Points;
using Grape.Core.Storage;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections;

/// <summary>
/// A collection: its configuration and its shard. Every request is validated against the configuration before it
/// touches storage, so a bad request changes nothing.
/// </summary>
internal sealed partial class Collection : IDisposable
{
    private const string ConfigFileName = "config.json";

    private readonly string _directory;
    private readonly GrapeOptions _options;
    private readonly LocalShard _shard;
    private readonly SegmentOptimizer? _optimizer;
    private CollectionConfig _config;
    private readonly string[] _vectorNames;              // column order of the shard's segments
    private readonly Dictionary<string, int> _columns;   // vector name → column

    private Collection(string name, string directory, CollectionConfig config, GrapeOptions options, LocalShard shard, string[] names)
    {
        Name = name;
        _directory = directory;
        _config = config;
        _options = options;
        _shard = shard;
        _vectorNames = names;
        _columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) _columns[names[i]] = i;
        if (options.EnableOptimizer) _optimizer = new SegmentOptimizer(shard, () => _config, options, e => Faulted?.Invoke(e));
    }

    public string Name { get; }
    public CollectionConfig Config => Volatile.Read(ref _config);
    public event Action<Exception>? Faulted;

    internal LocalShard Shard => _shard;

    public static Collection Create(string name, string directory, CollectionConfig config, GrapeOptions options)
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true); // leftover of a crashed create
        Directory.CreateDirectory(directory);
        WriteConfig(directory, config, options, null);
        return OpenWith(name, directory, config, options);
    }

    public static Collection Open(string name, string directory, GrapeOptions options)
    {
        var path = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(path)) throw new StorageCorruptedException($"Collection `{name}` has no {ConfigFileName} in {directory}");
        var stored = JsonSerializer.Deserialize(File.ReadAllBytes(path), CollectionJsonContext.Default.StoredCollectionConfig)
            ?? throw new StorageCorruptedException($"Empty {path}");
        return OpenWith(name, directory, stored.ToConfig(), options, stored.ToPayloadSchema());
    }

    private static Collection OpenWith(string name, string directory, CollectionConfig config, GrapeOptions options,
        IReadOnlyDictionary<string, Indexing.Payload.PayloadFieldSchema>? payloadSchema = null)
    {
        var names = config.Vectors.Keys.Order(StringComparer.Ordinal).ToArray();
        var specs = names.Select(n => new SegmentVectorSpec(n, config.Vectors[n].Size, config.Vectors[n].OnDisk ?? false,
            Multi: config.Vectors[n].MultivectorConfig is not null, Datatype: config.Vectors[n].StorageDatatype)).ToArray();
        Collection? self = null;
        // Index operations replayed while the shard opens persist the schema before the collection exists.
        var schemaStore = new Indexing.Payload.PayloadSchemaStore(payloadSchema, next =>
        {
            if (self is null) WriteConfig(directory, config, options, next);
            else self.PersistPayloadSchema(next);
        });
        var shard = LocalShard.Open(Path.Combine(directory, "0"), specs, config.WalConfig, options, schemaStore);
        self = new Collection(name, directory, config, options, shard, names);
        self._persistedSchema = schemaStore.Current;
        return self;
    }

    private static void WriteConfig(string directory, CollectionConfig config, GrapeOptions options,
        IReadOnlyDictionary<string, Indexing.Payload.PayloadFieldSchema>? payloadSchema) =>
        AtomicFile.WriteAllBytes(Path.Combine(directory, ConfigFileName),
            JsonSerializer.SerializeToUtf8Bytes(StoredCollectionConfig.From(config, payloadSchema), CollectionJsonContext.Default.StoredCollectionConfig),
            durable: !options.IsInMemory);

    public void UpdateConfig(UpdateCollectionRequest request)
    {
        var c = Config;
        var vectors = new Dictionary<string, VectorParams>(c.Vectors, StringComparer.Ordinal);
        if (request.Vectors is not null)
        {
            foreach (var (name, diff) in request.Vectors)
            {
                if (!vectors.TryGetValue(name, out var p)) throw new BadRequestException($"Wrong input: Not existing vector name error: {name}");
                CollectionConfigValidator.Validate(diff.HnswConfig, $"vectors.{name}.hnsw_config");
                vectors[name] = p with { OnDisk = diff.OnDisk ?? p.OnDisk, HnswConfig = diff.HnswConfig ?? p.HnswConfig };
            }
        }
        CollectionConfigValidator.Validate(request.HnswConfig, "hnsw_config");
        var optimizers = c.OptimizersConfig.Apply(request.OptimizersConfig);
        CollectionConfigValidator.Validate(optimizers);
        if (request.ReplicationFactor is < 1) ThrowHelper.BadRequest("Validation error in replication_factor: must be 1 or more");
        if (request.WriteConsistencyFactor is < 1) ThrowHelper.BadRequest("Validation error in write_consistency_factor: must be 1 or more");
        var next = c with
        {
            Vectors = vectors,
            HnswConfig = c.HnswConfig.Apply(request.HnswConfig),
            OptimizersConfig = optimizers,
            ReplicationFactor = request.ReplicationFactor ?? c.ReplicationFactor,
            WriteConsistencyFactor = request.WriteConsistencyFactor ?? c.WriteConsistencyFactor,
            OnDiskPayload = request.OnDiskPayload ?? c.OnDiskPayload,
            Metadata = request.Metadata ?? c.Metadata,
        };
        lock (_configWriteLock)
        {
            WriteConfig(_directory, next, _options, _persistedSchema);
            Volatile.Write(ref _config, next);
        }
        _optimizer?.Trigger();
    }

    public CollectionInfo GetInfo()
    {
        var set = _shard.AcquireSegments();
        try
        {
            long points = 0, indexed = 0;
            foreach (var s in set.Segments)
            {
                points += s.LivePointCount;
                for (int c = 0; c < _vectorNames.Length; c++)
                    if (s.GetHnsw(c) is { } g) indexed += g.LinkedCount;
            }
            bool optimizing = _optimizer?.IsRunning == true;
            return new CollectionInfo
            {
                Status = _optimizer?.LastError is not null ? CollectionStatus.Red : optimizing ? CollectionStatus.Yellow : CollectionStatus.Green,
                OptimizerStatus = _optimizer?.LastError is { } err ? new OptimizerStatus(false, err) : new OptimizerStatus(true),
                PointsCount = points,
                IndexedVectorsCount = indexed, // vectors linked into HNSW graphs, over every named vector
                SegmentsCount = set.Segments.Length,
                Config = Config,
                PayloadSchema = PayloadSchemaInfo(set),
            };
        }
        finally
        {
            set.Release();
        }
    }

    /// <summary>Flushes segments and state to disk now (also done periodically by the optimizer).</summary>
    public void Flush() => _shard.Flush();

    public void DisposeAndDeleteFiles()
    {
        _optimizer?.Dispose();
        _shard.DisposeAndDeleteFiles();
        try { Directory.Delete(_directory, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    public void Dispose()
    {
        _optimizer?.Dispose();
        _shard.Dispose();
    }
}

/// <summary>The collection config as stored in config.json (records with dictionaries of records, all source-generated).</summary>
internal sealed record StoredCollectionConfig(
    Dictionary<string, StoredVectorParams> Vectors, bool UnnamedVector, int ShardNumber, int ReplicationFactor, int WriteConsistencyFactor,
    bool OnDiskPayload, HnswConfig HnswConfig, OptimizersConfig OptimizersConfig, WalConfig WalConfig, string? Metadata)
{
    /// <summary>Field key → index schema in Qdrant's JSON form (absent in configs written before payload indexes).</summary>
    public Dictionary<string, string>? PayloadSchema { get; init; }

    public static StoredCollectionConfig From(CollectionConfig c, IReadOnlyDictionary<string, Indexing.Payload.PayloadFieldSchema>? payloadSchema) => new(
        c.Vectors.ToDictionary(kv => kv.Key, kv => new StoredVectorParams(kv.Value.Size, kv.Value.Distance, kv.Value.OnDisk, kv.Value.HnswConfig)
        {
            MultivectorConfig = kv.Value.MultivectorConfig,
            Datatype = kv.Value.Datatype,
        }),
        c.UnnamedVector, c.ShardNumber, c.ReplicationFactor, c.WriteConsistencyFactor, c.OnDiskPayload, c.HnswConfig, c.OptimizersConfig, c.WalConfig,
        c.Metadata?.ToJsonString())
    {
        PayloadSchema = payloadSchema is { Count: > 0 } ? payloadSchema.ToDictionary(kv => kv.Key, kv => kv.Value.ToJson().ToJsonString(), StringComparer.Ordinal) : null,
    };

    public Dictionary<string, Indexing.Payload.PayloadFieldSchema> ToPayloadSchema() =>
        (PayloadSchema ?? []).ToDictionary(kv => kv.Key, kv => Indexing.Payload.PayloadFieldSchema.FromJson(System.Text.Json.Nodes.JsonNode.Parse(kv.Value)), StringComparer.Ordinal);

    public CollectionConfig ToConfig() => new()
    {
        Vectors = Vectors.ToDictionary(kv => kv.Key, kv => new VectorParams(kv.Value.Size, kv.Value.Distance)
        {
            OnDisk = kv.Value.OnDisk,
            HnswConfig = kv.Value.HnswConfig,
            MultivectorConfig = kv.Value.MultivectorConfig,
            Datatype = kv.Value.Datatype,
        }, StringComparer.Ordinal),
        UnnamedVector = UnnamedVector,
        ShardNumber = ShardNumber,
        ReplicationFactor = ReplicationFactor,
        WriteConsistencyFactor = WriteConsistencyFactor,
        OnDiskPayload = OnDiskPayload,
        HnswConfig = HnswConfig,
        OptimizersConfig = OptimizersConfig,
        WalConfig = WalConfig,
        Metadata = Metadata is null ? null : System.Text.Json.Nodes.JsonNode.Parse(Metadata)?.AsObject(),
    };
}

internal sealed record StoredVectorParams(int Size, Distance Distance, bool? OnDisk, HnswConfigDiff? HnswConfig)
{
    /// <summary>Absent in configs written before multivectors (and for dense vectors).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MultiVectorConfig? MultivectorConfig { get; init; }

    /// <summary>Absent when not given at creation (float32; configs written before datatypes read the same).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public VectorDatatype? Datatype { get; init; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(StoredCollectionConfig))]
internal sealed partial class CollectionJsonContext : JsonSerializerContext;
