using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Points;
using Grape.Server.Errors;
using Grape.Server.Rest.Dto;
using static Grape.Server.Rest.Mapping.JsonRead;

namespace Grape.Server.Rest.Mapping;

/// <summary>Qdrant's collection and alias bodies ⇄ Core's requests and <see cref="CollectionInfo"/>.</summary>
internal static class CollectionsMapper
{
    /// <summary>Qdrant's path rule for collection names on create (StrictCollectionPath): 422 before any storage work.</summary>
    public static void ValidateNewName(string name)
    {
        if (name.Length is 0 or > 255) throw RequestException.PathValidation($"[name: length must be from 1 to 255, got {name.Length}]");
        foreach (char c in name)
        {
            if (c is '<' or '>' or ':' or '"' or '/' or '\\' or '|' or '?' or '*' or '\0' or '\u001f')
                throw RequestException.PathValidation($"[name: collection name cannot contain \"{(c < ' ' ? $"\\u{(int)c:x4}" : c.ToString())}\" char]");
        }
    }

    public static CreateCollectionRequest Create(JsonElement root)
    {
        ExpectObject(root, "", "a CreateCollection object");
        Unsupported(root, "sparse_vectors", "sparse vectors");
        Unsupported(root, "quantization_config", "quantization");
        Unsupported(root, "strict_mode_config", "strict mode");
        Unsupported(root, "init_from", "`init_from`");
        if (OptString(root, "sharding_method", "") is "custom") throw RequestException.NotSupported("custom sharding");
        var vectors = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        if (Opt(root, "vectors") is { } v)
        {
            ExpectObject(v, "vectors", "VectorParams or a map of named VectorParams");
            if (v.TryGetProperty("size", out _) || v.TryGetProperty("distance", out _)) vectors[PointStruct.DefaultVector] = Params(v, "vectors");
            else foreach (var named in v.EnumerateObject()) vectors[named.Name] = Params(named.Value, $"vectors.{named.Name}");
        }
        return new CreateCollectionRequest
        {
            Vectors = vectors,
            ShardNumber = OptInt(root, "shard_number", "", min: 1),
            ReplicationFactor = OptInt(root, "replication_factor", "", min: 1),
            WriteConsistencyFactor = OptInt(root, "write_consistency_factor", "", min: 1),
            OnDiskPayload = OptBool(root, "on_disk_payload", ""),
            HnswConfig = Opt(root, "hnsw_config") is { } h ? Hnsw(h, "hnsw_config") : null,
            OptimizersConfig = Opt(root, "optimizers_config") is { } o ? Optimizers(o, "optimizers_config") : null,
            WalConfig = Opt(root, "wal_config") is { } w ? Wal(w, "wal_config") : null,
            Metadata = Opt(root, "metadata") is { } m ? Payload(m, "metadata") : null,
        };
    }

    public static UpdateCollectionRequest Update(JsonElement root)
    {
        ExpectObject(root, "", "an UpdateCollection object");
        Unsupported(root, "sparse_vectors", "sparse vectors");
        Unsupported(root, "quantization_config", "quantization");
        Unsupported(root, "strict_mode_config", "strict mode");
        Dictionary<string, VectorParamsDiff>? vectors = null;
        if (Opt(root, "vectors") is { } v)
        {
            ExpectObject(v, "vectors", "a map of vector name to VectorParamsDiff");
            vectors = new Dictionary<string, VectorParamsDiff>(StringComparer.Ordinal);
            foreach (var named in v.EnumerateObject())
            {
                string p = $"vectors.{named.Name}";
                ExpectObject(named.Value, p, "VectorParamsDiff");
                Unsupported(named.Value, "quantization_config", "quantization");
                vectors[named.Name] = new VectorParamsDiff
                {
                    OnDisk = OptBool(named.Value, "on_disk", p),
                    HnswConfig = Opt(named.Value, "hnsw_config") is { } h ? Hnsw(h, $"{p}.hnsw_config") : null,
                };
            }
        }
        int? replication = null, writeConsistency = null;
        bool? onDiskPayload = null;
        if (Opt(root, "params") is { } prm)
        {
            ExpectObject(prm, "params", "CollectionParamsDiff");
            replication = OptInt(prm, "replication_factor", "params", min: 1);
            writeConsistency = OptInt(prm, "write_consistency_factor", "params", min: 1);
            onDiskPayload = OptBool(prm, "on_disk_payload", "params");
        }
        return new UpdateCollectionRequest
        {
            Vectors = vectors,
            OptimizersConfig = Opt(root, "optimizers_config") is { } o ? Optimizers(o, "optimizers_config") : null,
            HnswConfig = Opt(root, "hnsw_config") is { } hc ? Hnsw(hc, "hnsw_config") : null,
            ReplicationFactor = replication,
            WriteConsistencyFactor = writeConsistency,
            OnDiskPayload = onDiskPayload,
            Metadata = Opt(root, "metadata") is { } m ? Payload(m, "metadata") : null,
        };
    }

    public static List<AliasOperation> Aliases(JsonElement root)
    {
        ExpectObject(root, "", "{actions}");
        var actions = Req(root, "actions", "");
        if (actions.ValueKind != JsonValueKind.Array) throw RequestException.Format($"actions: invalid type: {Kind(actions)}, expected a list of alias operations");
        var list = new List<AliasOperation>();
        int i = 0;
        foreach (var a in actions.EnumerateArray())
        {
            string p = $"actions[{i++}]";
            ExpectObject(a, p, "{create_alias} | {delete_alias} | {rename_alias}");
            if (Opt(a, "create_alias") is { } c)
            {
                string pp = p + ".create_alias";
                ExpectObject(c, pp, "{collection_name, alias_name}");
                list.Add(new CreateAlias(String(Req(c, "alias_name", pp), pp + ".alias_name"), String(Req(c, "collection_name", pp), pp + ".collection_name")));
            }
            else if (Opt(a, "delete_alias") is { } d)
            {
                string pp = p + ".delete_alias";
                ExpectObject(d, pp, "{alias_name}");
                list.Add(new DeleteAlias(String(Req(d, "alias_name", pp), pp + ".alias_name")));
            }
            else if (Opt(a, "rename_alias") is { } r)
            {
                string pp = p + ".rename_alias";
                ExpectObject(r, pp, "{old_alias_name, new_alias_name}");
                list.Add(new RenameAlias(String(Req(r, "old_alias_name", pp), pp + ".old_alias_name"), String(Req(r, "new_alias_name", pp), pp + ".new_alias_name")));
            }
            else throw RequestException.Format($"{p}: expected one of `create_alias`, `delete_alias`, `rename_alias`");
        }
        return list;
    }

    private static VectorParams Params(JsonElement e, string path)
    {
        ExpectObject(e, path, "VectorParams {size, distance}");
        Unsupported(e, "quantization_config", "quantization");
        VectorDatatype? datatype = null;
        if (OptString(e, "datatype", path) is { } dt)
        {
            if (dt == "turbo4") throw RequestException.NotSupported($"datatype `{dt}`");
            datatype = dt switch
            {
                "float32" => VectorDatatype.Float32,
                "float16" => VectorDatatype.Float16,
                "uint8" => VectorDatatype.Uint8,
                _ => throw RequestException.Format($"{path}.datatype: unknown variant `{dt}`, expected one of `float32`, `uint8`, `float16`, `turbo4`"),
            };
        }
        int size = Int(Req(e, "size", path), path + ".size", min: 1, max: 65536);
        string d = String(Req(e, "distance", path), path + ".distance");
        var distance = d switch
        {
            "Cosine" => Distance.Cosine,
            "Euclid" => Distance.Euclid,
            "Dot" => Distance.Dot,
            "Manhattan" => Distance.Manhattan,
            _ => throw RequestException.Format($"{path}.distance: unknown variant `{d}`, expected one of `Cosine`, `Euclid`, `Dot`, `Manhattan`"),
        };
        return new VectorParams(size, distance)
        {
            OnDisk = OptBool(e, "on_disk", path),
            HnswConfig = Opt(e, "hnsw_config") is { } h ? Hnsw(h, path + ".hnsw_config") : null,
            MultivectorConfig = MultiVectorJson.Config(e, path),
            Datatype = datatype,
        };
    }

    private static HnswConfigDiff Hnsw(JsonElement e, string p)
    {
        ExpectObject(e, p, "HnswConfigDiff");
        return new HnswConfigDiff
        {
            M = OptInt(e, "m", p),
            EfConstruct = OptInt(e, "ef_construct", p, min: 4),
            FullScanThreshold = OptInt(e, "full_scan_threshold", p, min: 10),
            MaxIndexingThreads = OptInt(e, "max_indexing_threads", p),
            OnDisk = OptBool(e, "on_disk", p),
            PayloadM = OptInt(e, "payload_m", p),
            InlineStorage = OptBool(e, "inline_storage", p),
        };
    }

    private static OptimizersConfigDiff Optimizers(JsonElement e, string p)
    {
        ExpectObject(e, p, "OptimizersConfigDiff");
        double? deleted = OptDouble(e, "deleted_threshold", p);
        if (deleted is < 0 or > 1) throw RequestException.Validation($"[{p}.deleted_threshold: value {deleted} invalid, must be from 0 to 1]");
        int? maxThreads = Opt(e, "max_optimization_threads") is { } t
            ? t.ValueKind == JsonValueKind.String && t.GetString() == "auto" ? null : Int(t, p + ".max_optimization_threads")
            : null;
        return new OptimizersConfigDiff
        {
            DeletedThreshold = deleted,
            VacuumMinVectorNumber = OptInt(e, "vacuum_min_vector_number", p, min: 100),
            DefaultSegmentNumber = OptInt(e, "default_segment_number", p),
            MaxSegmentSize = OptInt(e, "max_segment_size", p, min: 1),
            MemmapThreshold = OptInt(e, "memmap_threshold", p),
            IndexingThreshold = OptInt(e, "indexing_threshold", p),
            FlushIntervalSec = OptInt(e, "flush_interval_sec", p),
            MaxOptimizationThreads = maxThreads,
        };
    }

    private static WalConfigDiff Wal(JsonElement e, string p)
    {
        ExpectObject(e, p, "WalConfigDiff");
        return new WalConfigDiff
        {
            WalCapacityMb = OptInt(e, "wal_capacity_mb", p, min: 1),
            WalSegmentsAhead = OptInt(e, "wal_segments_ahead", p),
            WalRetainClosed = OptInt(e, "wal_retain_closed", p),
        };
    }

    private static void Unsupported(JsonElement obj, string name, string what)
    {
        if (Opt(obj, name) is { } v && !(v.ValueKind == JsonValueKind.Object && !v.EnumerateObject().Any())) throw RequestException.NotSupported(what);
    }

    public static CollectionInfoDto Info(CollectionInfo info)
    {
        var c = info.Config;
        JsonNode vectors;
        if (c.UnnamedVector && c.Vectors.TryGetValue(PointStruct.DefaultVector, out var single)) vectors = ParamsJson(single);
        else
        {
            var map = new JsonObject();
            foreach (var (name, p) in c.Vectors.OrderBy(v => v.Key, StringComparer.Ordinal)) map[name] = ParamsJson(p);
            vectors = map;
        }
        var h = c.HnswConfig;
        var o = c.OptimizersConfig;
        var schema = new Dictionary<string, PayloadIndexInfoDto>(StringComparer.Ordinal);
        foreach (var (k, v) in info.PayloadSchema) schema[k] = new PayloadIndexInfoDto(v.DataType, v.Params, v.Points);
        return new CollectionInfoDto(
            info.Status.ToString().ToLowerInvariant(),
            info.OptimizerStatus.Ok ? JsonValue.Create("ok") : new JsonObject { ["error"] = info.OptimizerStatus.Error ?? "unknown" },
            info.IndexedVectorsCount,
            info.PointsCount,
            info.SegmentsCount,
            new CollectionConfigDto(
                new CollectionParamsDto(vectors, c.ShardNumber, c.ReplicationFactor, c.WriteConsistencyFactor, c.OnDiskPayload),
                new HnswConfigDto(h.M, h.EfConstruct, h.FullScanThreshold, h.MaxIndexingThreads, h.OnDisk, h.PayloadM),
                new OptimizersConfigDto(o.DeletedThreshold, o.VacuumMinVectorNumber, o.DefaultSegmentNumber, o.MaxSegmentSize, o.MemmapThreshold, o.IndexingThreshold, o.FlushIntervalSec, o.MaxOptimizationThreads),
                new WalConfigDto(c.WalConfig.WalCapacityMb, c.WalConfig.WalSegmentsAhead, c.WalConfig.WalRetainClosed),
                c.Metadata is null ? null : (JsonObject)c.Metadata.DeepClone()),
            schema);
    }

    private static JsonObject ParamsJson(VectorParams p)
    {
        var o = new JsonObject { ["size"] = p.Size, ["distance"] = p.Distance.ToString() };
        if (p.OnDisk is { } onDisk) o["on_disk"] = onDisk;
        if (p.HnswConfig is { } h)
        {
            var hj = new JsonObject();
            if (h.M is { } m) hj["m"] = m;
            if (h.EfConstruct is { } ef) hj["ef_construct"] = ef;
            if (h.FullScanThreshold is { } fst) hj["full_scan_threshold"] = fst;
            if (h.MaxIndexingThreads is { } mit) hj["max_indexing_threads"] = mit;
            if (h.OnDisk is { } od) hj["on_disk"] = od;
            if (h.PayloadM is { } pm) hj["payload_m"] = pm;
            o["hnsw_config"] = hj;
        }
        if (p.Datatype is { } dt) o["datatype"] = dt switch { VectorDatatype.Float16 => "float16", VectorDatatype.Uint8 => "uint8", _ => "float32" };
        if (p.MultivectorConfig is { } mv) o["multivector_config"] = MultiVectorJson.ToJson(mv);
        return o;
    }
}
