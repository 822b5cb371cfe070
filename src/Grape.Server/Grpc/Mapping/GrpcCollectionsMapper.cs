using Grape.Core.Collections;
using Grape.Core.Points;
using Grape.Server.Errors;
using Grape.Server.Rest.Mapping;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>Qdrant's collection messages ⇄ Core's collection requests and <see cref="CollectionInfo"/>.</summary>
internal static class GrpcCollectionsMapper
{
#pragma warning disable CS0612 // on_disk / on_disk_payload are deprecated in Qdrant's protos but still honoured
    public static CreateCollectionRequest Create(P.CreateCollection r)
    {
        CollectionsMapper.ValidateNewName(r.CollectionName);
        if (r.QuantizationConfig is not null) throw RequestException.NotSupported("quantization");
        if (r.SparseVectorsConfig is { Map.Count: > 0 }) throw RequestException.NotSupported("sparse vectors");
        if (r.StrictModeConfig is not null) throw RequestException.NotSupported("strict mode");
        if (r.HasShardingMethod && r.ShardingMethod == P.ShardingMethod.Custom) throw RequestException.NotSupported("custom sharding");
        var vectors = new Dictionary<string, VectorParams>(StringComparer.Ordinal);
        switch (r.VectorsConfig?.ConfigCase)
        {
            case P.VectorsConfig.ConfigOneofCase.Params:
                vectors[PointStruct.DefaultVector] = Params(r.VectorsConfig.Params, "vectors_config.params");
                break;
            case P.VectorsConfig.ConfigOneofCase.ParamsMap:
                foreach (var (name, p) in r.VectorsConfig.ParamsMap.Map) vectors[name] = Params(p, $"vectors_config.params_map.{name}");
                break;
        }
        return new CreateCollectionRequest
        {
            Vectors = vectors,
            ShardNumber = r.HasShardNumber ? Positive(r.ShardNumber, "shard_number") : null,
            ReplicationFactor = r.HasReplicationFactor ? Positive(r.ReplicationFactor, "replication_factor") : null,
            WriteConsistencyFactor = r.HasWriteConsistencyFactor ? Positive(r.WriteConsistencyFactor, "write_consistency_factor") : null,
            OnDiskPayload = r.HasOnDiskPayload ? r.OnDiskPayload : null,
            HnswConfig = r.HnswConfig is { } h ? Hnsw(h) : null,
            OptimizersConfig = r.OptimizersConfig is { } o ? Optimizers(o) : null,
            WalConfig = r.WalConfig is { } w ? new WalConfigDiff
            {
                WalCapacityMb = w.HasWalCapacityMb ? Positive(w.WalCapacityMb, "wal_config.wal_capacity_mb") : null,
                WalSegmentsAhead = w.HasWalSegmentsAhead ? Int(w.WalSegmentsAhead) : null,
                WalRetainClosed = w.HasWalRetainClosed ? Int(w.WalRetainClosed) : null,
            } : null,
            Metadata = r.Metadata.Count > 0 ? ValueMapper.ToJson(r.Metadata) : null,
        };
    }

    public static UpdateCollectionRequest Update(P.UpdateCollection r)
    {
        if (r.QuantizationConfig is not null) throw RequestException.NotSupported("quantization");
        if (r.SparseVectorsConfig is { Map.Count: > 0 }) throw RequestException.NotSupported("sparse vectors");
        if (r.StrictModeConfig is not null) throw RequestException.NotSupported("strict mode");
        Dictionary<string, VectorParamsDiff>? vectors = null;
        switch (r.VectorsConfig?.ConfigCase)
        {
            case P.VectorsConfigDiff.ConfigOneofCase.Params:
                vectors = new(StringComparer.Ordinal) { [PointStruct.DefaultVector] = Diff(r.VectorsConfig.Params) };
                break;
            case P.VectorsConfigDiff.ConfigOneofCase.ParamsMap:
                vectors = new(StringComparer.Ordinal);
                foreach (var (name, d) in r.VectorsConfig.ParamsMap.Map) vectors[name] = Diff(d);
                break;
        }
        var prm = r.Params;
        return new UpdateCollectionRequest
        {
            Vectors = vectors,
            OptimizersConfig = r.OptimizersConfig is { } o ? Optimizers(o) : null,
            HnswConfig = r.HnswConfig is { } h ? Hnsw(h) : null,
            ReplicationFactor = prm is { HasReplicationFactor: true } ? Positive(prm.ReplicationFactor, "params.replication_factor") : null,
            WriteConsistencyFactor = prm is { HasWriteConsistencyFactor: true } ? Positive(prm.WriteConsistencyFactor, "params.write_consistency_factor") : null,
            OnDiskPayload = prm is { HasOnDiskPayload: true } ? prm.OnDiskPayload : null,
            Metadata = r.Metadata.Count > 0 ? ValueMapper.ToJson(r.Metadata) : null,
        };
    }

    private static VectorParamsDiff Diff(P.VectorParamsDiff d)
    {
        if (d.QuantizationConfig is not null) throw RequestException.NotSupported("quantization");
        return new VectorParamsDiff { OnDisk = d.HasOnDisk ? d.OnDisk : null, HnswConfig = d.HnswConfig is { } h ? Hnsw(h) : null };
    }

    private static VectorParams Params(P.VectorParams p, string path)
    {
        if (p.QuantizationConfig is not null) throw RequestException.NotSupported("quantization");
        VectorDatatype? datatype = !p.HasDatatype ? null : p.Datatype switch
        {
            P.Datatype.Default => null,
            P.Datatype.Float32 => VectorDatatype.Float32,
            P.Datatype.Float16 => VectorDatatype.Float16,
            P.Datatype.Uint8 => VectorDatatype.Uint8,
            P.Datatype.Turbo4 => throw RequestException.NotSupported("datatype `Turbo4`"),
            _ => throw GrpcInput.Invalid($"{path}.datatype: unknown datatype {(int)p.Datatype}"),
        };
        if (p.Size is < 1 or > 65536) throw GrpcInput.Invalid($"{path}.size: value {p.Size} invalid, must be from 1 to 65536");
        var distance = p.Distance switch
        {
            P.Distance.Cosine => Distance.Cosine,
            P.Distance.Euclid => Distance.Euclid,
            P.Distance.Dot => Distance.Dot,
            P.Distance.Manhattan => Distance.Manhattan,
            _ => throw GrpcInput.Invalid($"{path}.distance: unknown distance {(int)p.Distance}"),
        };
        return new VectorParams((int)p.Size, distance)
        {
            OnDisk = p.HasOnDisk ? p.OnDisk : null,
            HnswConfig = p.HnswConfig is { } h ? Hnsw(h) : null,
            MultivectorConfig = GrpcMultiVectorMapper.Config(p),
            Datatype = datatype,
        };
    }

    private static HnswConfigDiff Hnsw(P.HnswConfigDiff h) => new()
    {
        M = h.HasM ? Int(h.M) : null,
        EfConstruct = h.HasEfConstruct ? Min(h.EfConstruct, 4, "hnsw_config.ef_construct") : null,
        FullScanThreshold = h.HasFullScanThreshold ? Min(h.FullScanThreshold, 10, "hnsw_config.full_scan_threshold") : null,
        MaxIndexingThreads = h.HasMaxIndexingThreads ? Int(h.MaxIndexingThreads) : null,
        OnDisk = h.HasOnDisk ? h.OnDisk : null,
        PayloadM = h.HasPayloadM ? Int(h.PayloadM) : null,
        InlineStorage = h.HasInlineStorage ? h.InlineStorage : null,
    };

    private static OptimizersConfigDiff Optimizers(P.OptimizersConfigDiff o)
    {
        if (o.HasDeletedThreshold && o.DeletedThreshold is < 0 or > 1)
            throw GrpcInput.Invalid($"optimizers_config.deleted_threshold: value {o.DeletedThreshold} invalid, must be from 0 to 1");
        int? maxThreads = o.MaxOptimizationThreads is { } mt
            ? mt.VariantCase == P.MaxOptimizationThreads.VariantOneofCase.Value ? Int(mt.Value) : null
            : o.HasDeprecatedMaxOptimizationThreads ? Int(o.DeprecatedMaxOptimizationThreads) : null;
        return new OptimizersConfigDiff
        {
            DeletedThreshold = o.HasDeletedThreshold ? o.DeletedThreshold : null,
            VacuumMinVectorNumber = o.HasVacuumMinVectorNumber ? Min(o.VacuumMinVectorNumber, 100, "optimizers_config.vacuum_min_vector_number") : null,
            DefaultSegmentNumber = o.HasDefaultSegmentNumber ? Int(o.DefaultSegmentNumber) : null,
            MaxSegmentSize = o.HasMaxSegmentSize ? Min(o.MaxSegmentSize, 1, "optimizers_config.max_segment_size") : null,
            MemmapThreshold = o.HasMemmapThreshold ? Int(o.MemmapThreshold) : null,
            IndexingThreshold = o.HasIndexingThreshold ? Int(o.IndexingThreshold) : null,
            FlushIntervalSec = o.HasFlushIntervalSec ? Int(o.FlushIntervalSec) : null,
            MaxOptimizationThreads = maxThreads,
        };
    }

    private static int Int(ulong v) => (int)Math.Min(v, int.MaxValue);
    private static int Min(ulong v, int min, string path) => v >= (ulong)min ? Int(v) : throw GrpcInput.Invalid($"{path}: value {v} invalid, must be {min} or more");
    private static int Positive(ulong v, string path) => Min(v, 1, path);

    public static P.CollectionInfo Info(CollectionInfo info)
    {
        var c = info.Config;
        var vectors = new P.VectorsConfig();
        if (c.UnnamedVector && c.Vectors.TryGetValue(PointStruct.DefaultVector, out var single)) vectors.Params = ParamsOut(single);
        else
        {
            var map = new P.VectorParamsMap();
            foreach (var (name, p) in c.Vectors) map.Map[name] = ParamsOut(p);
            vectors.ParamsMap = map;
        }
        var h = c.HnswConfig;
        var o = c.OptimizersConfig;
        var hnsw = new P.HnswConfigDiff { M = (ulong)h.M, EfConstruct = (ulong)h.EfConstruct, FullScanThreshold = (ulong)h.FullScanThreshold, MaxIndexingThreads = (ulong)h.MaxIndexingThreads };
        if (h.OnDisk is { } od) hnsw.OnDisk = od;
        if (h.PayloadM is { } pm) hnsw.PayloadM = (ulong)pm;
        var opt = new P.OptimizersConfigDiff
        {
            DeletedThreshold = o.DeletedThreshold,
            VacuumMinVectorNumber = (ulong)o.VacuumMinVectorNumber,
            DefaultSegmentNumber = (ulong)o.DefaultSegmentNumber,
            FlushIntervalSec = (ulong)o.FlushIntervalSec,
            MaxOptimizationThreads = o.MaxOptimizationThreads is { } t
                ? new P.MaxOptimizationThreads { Value = (ulong)t }
                : new P.MaxOptimizationThreads { Setting = P.MaxOptimizationThreads.Types.Setting.Auto },
        };
        if (o.MaxSegmentSize is { } mss) opt.MaxSegmentSize = (ulong)mss;
        if (o.MemmapThreshold is { } mmt) opt.MemmapThreshold = (ulong)mmt;
        if (o.IndexingThreshold is { } it) opt.IndexingThreshold = (ulong)it;
        var config = new P.CollectionConfig
        {
            Params = new P.CollectionParams
            {
                ShardNumber = (uint)c.ShardNumber,
                OnDiskPayload = c.OnDiskPayload,
                VectorsConfig = vectors,
                ReplicationFactor = (uint)c.ReplicationFactor,
                WriteConsistencyFactor = (uint)c.WriteConsistencyFactor,
            },
            HnswConfig = hnsw,
            OptimizerConfig = opt,
            WalConfig = new P.WalConfigDiff { WalCapacityMb = (ulong)c.WalConfig.WalCapacityMb, WalSegmentsAhead = (ulong)c.WalConfig.WalSegmentsAhead, WalRetainClosed = (ulong)c.WalConfig.WalRetainClosed },
        };
        ValueMapper.Fill(config.Metadata, c.Metadata);
        var result = new P.CollectionInfo
        {
            Status = info.Status switch
            {
                CollectionStatus.Green => P.CollectionStatus.Green,
                CollectionStatus.Yellow => P.CollectionStatus.Yellow,
                CollectionStatus.Grey => P.CollectionStatus.Grey,
                _ => P.CollectionStatus.Red,
            },
            OptimizerStatus = new P.OptimizerStatus { Ok = info.OptimizerStatus.Ok, Error = info.OptimizerStatus.Error ?? "" },
            SegmentsCount = (ulong)info.SegmentsCount,
            Config = config,
            PointsCount = (ulong)info.PointsCount,
            IndexedVectorsCount = (ulong)info.IndexedVectorsCount,
            UpdateQueue = new P.UpdateQueueInfo(),
        };
        foreach (var (key, idx) in info.PayloadSchema)
        {
            var schemaInfo = new P.PayloadSchemaInfo { DataType = SchemaType(idx.DataType), Points = (ulong)idx.Points };
            if (GrpcIndexMapper.ParamsOut(idx) is { } indexParams) schemaInfo.Params = indexParams;
            result.PayloadSchema[key] = schemaInfo;
        }
        return result;
    }
#pragma warning restore CS0612

    private static P.PayloadSchemaType SchemaType(string t) => t switch
    {
        "keyword" => P.PayloadSchemaType.Keyword,
        "integer" => P.PayloadSchemaType.Integer,
        "float" => P.PayloadSchemaType.Float,
        "geo" => P.PayloadSchemaType.Geo,
        "text" => P.PayloadSchemaType.Text,
        "bool" => P.PayloadSchemaType.Bool,
        "datetime" => P.PayloadSchemaType.Datetime,
        "uuid" => P.PayloadSchemaType.Uuid,
        _ => P.PayloadSchemaType.UnknownType,
    };

    private static P.VectorParams ParamsOut(VectorParams p)
    {
        var v = new P.VectorParams
        {
            Size = (ulong)p.Size,
            Distance = p.Distance switch
            {
                Distance.Cosine => P.Distance.Cosine,
                Distance.Euclid => P.Distance.Euclid,
                Distance.Dot => P.Distance.Dot,
                Distance.Manhattan => P.Distance.Manhattan,
                _ => P.Distance.UnknownDistance,
            },
        };
        if (p.MultivectorConfig is { } mv) v.MultivectorConfig = GrpcMultiVectorMapper.ToProto(mv);
        if (p.Datatype is { } dt)
        {
            v.Datatype = dt switch
            {
                VectorDatatype.Float16 => P.Datatype.Float16,
                VectorDatatype.Uint8 => P.Datatype.Uint8,
                _ => P.Datatype.Float32,
            };
        }
#pragma warning disable CS0612
        if (p.OnDisk is { } onDisk) v.OnDisk = onDisk;
#pragma warning restore CS0612
        if (p.HnswConfig is { } h)
        {
            var d = new P.HnswConfigDiff();
            if (h.M is { } m) d.M = (ulong)m;
            if (h.EfConstruct is { } ef) d.EfConstruct = (ulong)ef;
            if (h.FullScanThreshold is { } fst) d.FullScanThreshold = (ulong)fst;
            if (h.MaxIndexingThreads is { } mit) d.MaxIndexingThreads = (ulong)mit;
            if (h.PayloadM is { } pm) d.PayloadM = (ulong)pm;
            v.HnswConfig = d;
        }
        return v;
    }

    public static List<AliasOperation> Aliases(P.ChangeAliases r)
    {
        var list = new List<AliasOperation>(r.Actions.Count);
        foreach (var a in r.Actions)
        {
            list.Add(a.ActionCase switch
            {
                P.AliasOperations.ActionOneofCase.CreateAlias => new CreateAlias(a.CreateAlias.AliasName, a.CreateAlias.CollectionName),
                P.AliasOperations.ActionOneofCase.DeleteAlias => new DeleteAlias(a.DeleteAlias.AliasName),
                P.AliasOperations.ActionOneofCase.RenameAlias => new RenameAlias(a.RenameAlias.OldAliasName, a.RenameAlias.NewAliasName),
                _ => throw GrpcInput.Invalid("actions: every action must be create_alias, rename_alias or delete_alias"),
            });
        }
        return list;
    }
}
