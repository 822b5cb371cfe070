using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Grape.Server.Hosting;

/// <summary>
/// Builds <see cref="ServerSettings"/> the way Qdrant layers its configuration, later layers winning:
/// the YAML file named by <c>--config-path</c>, then <c>QDRANT__SECTION__KEY</c> and <c>GRAPE__SECTION__KEY</c>
/// environment variables (GRAPE wins over QDRANT), then the flags <c>--storage-path</c>, <c>--http-port</c>,
/// <c>--grpc-port</c>. Unlike Qdrant, an unknown key is an error: a typo must not silently fall back to a default.
/// Grape's own keys (no Qdrant equivalent) live under <c>grape.</c>.
/// </summary>
internal static class ConfigLoader
{
    private delegate ServerSettings Apply(ServerSettings s, string key, string? value);

    // Keys Grape acts on. Qdrant's server config spells the size thresholds with a `_kb` suffix; both spellings load.
    private static readonly Dictionary<string, Apply> Applied = new(StringComparer.Ordinal)
    {
        ["log_level"] = (s, k, v) => s with { LogLevel = v ?? "INFO" },
        ["telemetry_disabled"] = (s, k, v) => s with { TelemetryDisabled = Bool(k, v) },
        ["service.host"] = (s, k, v) => s with { Host = Required(k, v) },
        ["service.http_port"] = (s, k, v) => s with { HttpPort = Port(k, v) },
        ["service.grpc_port"] = (s, k, v) => s with { GrpcPort = v is null ? null : Port(k, v) },
        ["service.api_key"] = (s, k, v) => s with { ApiKey = string.IsNullOrEmpty(v) ? null : v },
        ["service.alt_api_key"] = (s, k, v) => s with { AltApiKey = string.IsNullOrEmpty(v) ? null : v },
        ["service.read_only_api_key"] = (s, k, v) => s with { ReadOnlyApiKey = string.IsNullOrEmpty(v) ? null : v },
        ["service.max_request_size_mb"] = (s, k, v) => s with { MaxRequestSizeMb = Int(k, v, min: 1) },
        ["service.enable_cors"] = (s, k, v) => s with { EnableCors = Bool(k, v) },
        ["service.metrics_prefix"] = (s, k, v) => s with { MetricsPrefix = v },
        ["storage.storage_path"] = (s, k, v) => s with { StoragePath = Required(k, v) },
        ["storage.snapshots_path"] = (s, k, v) => s with { SnapshotsPath = Required(k, v) },
        ["storage.optimizers.deleted_threshold"] = (s, k, v) => s with { Optimizers = s.Optimizers with { DeletedThreshold = Double(k, v) } },
        ["storage.optimizers.vacuum_min_vector_number"] = (s, k, v) => s with { Optimizers = s.Optimizers with { VacuumMinVectorNumber = Int(k, v, min: 0) } },
        ["storage.optimizers.default_segment_number"] = (s, k, v) => s with { Optimizers = s.Optimizers with { DefaultSegmentNumber = Int(k, v, min: 0) } },
        ["storage.optimizers.max_segment_size"] = MaxSegmentSize,
        ["storage.optimizers.max_segment_size_kb"] = MaxSegmentSize,
        ["storage.optimizers.memmap_threshold"] = MemmapThreshold,
        ["storage.optimizers.memmap_threshold_kb"] = MemmapThreshold,
        ["storage.optimizers.indexing_threshold"] = IndexingThreshold,
        ["storage.optimizers.indexing_threshold_kb"] = IndexingThreshold,
        ["storage.optimizers.flush_interval_sec"] = (s, k, v) => s with { Optimizers = s.Optimizers with { FlushIntervalSec = Int(k, v, min: 0) } },
        ["storage.optimizers.max_optimization_threads"] = (s, k, v) => s with { Optimizers = s.Optimizers with { MaxOptimizationThreads = NullableInt(k, v) } },
        ["storage.hnsw_index.m"] = (s, k, v) => s with { Hnsw = s.Hnsw with { M = Int(k, v, min: 0) } },
        ["storage.hnsw_index.ef_construct"] = (s, k, v) => s with { Hnsw = s.Hnsw with { EfConstruct = Int(k, v, min: 4) } },
        ["storage.hnsw_index.full_scan_threshold"] = FullScanThreshold,
        ["storage.hnsw_index.full_scan_threshold_kb"] = FullScanThreshold,
        ["storage.hnsw_index.max_indexing_threads"] = (s, k, v) => s with { Hnsw = s.Hnsw with { MaxIndexingThreads = Int(k, v, min: 0) } },
        ["storage.hnsw_index.on_disk"] = (s, k, v) => s with { Hnsw = s.Hnsw with { OnDisk = v is null ? null : Bool(k, v) } },
        ["storage.hnsw_index.payload_m"] = (s, k, v) => s with { Hnsw = s.Hnsw with { PayloadM = NullableInt(k, v) } },
        ["storage.wal.wal_capacity_mb"] = (s, k, v) => s with { Wal = s.Wal with { WalCapacityMb = Int(k, v, min: 1) } },
        ["storage.wal.wal_segments_ahead"] = (s, k, v) => s with { Wal = s.Wal with { WalSegmentsAhead = Int(k, v, min: 0) } },
        ["storage.wal.wal_retain_closed"] = (s, k, v) => s with { Wal = s.Wal with { WalRetainClosed = Int(k, v, min: 0) } },
        // Grape's own keys (Qdrant has none for these): a section of its own so no one mistakes them for Qdrant's.
        ["grape.grpc.keep_alive_interval_sec"] = (s, k, v) => s with { Grpc = s.Grpc with { KeepAliveIntervalSec = Int(k, v, min: 0, max: 86_400) } },
        ["grape.grpc.keep_alive_timeout_sec"] = (s, k, v) => s with { Grpc = s.Grpc with { KeepAliveTimeoutSec = Int(k, v, min: 1, max: 3_600) } },
        ["grape.grpc.max_concurrent_streams"] = (s, k, v) => s with { Grpc = s.Grpc with { MaxConcurrentStreams = Int(k, v, min: 1) } },
        ["grape.grpc.max_concurrent_calls"] = (s, k, v) => s with { Grpc = s.Grpc with { MaxConcurrentCalls = Int(k, v, min: 0) } },
        ["grape.grpc.max_queued_calls"] = (s, k, v) => s with { Grpc = s.Grpc with { MaxQueuedCalls = Int(k, v, min: 0) } },
    };

    // Qdrant keys that load without effect in a single-node Grape (TLS, cluster, tuning knobs of Qdrant's runtime).
    private static readonly HashSet<string> Accepted = new(StringComparer.Ordinal)
    {
        "service.metrics_port", "service.max_workers", "service.http_keep_alive_timeout_sec",
        "service.http_client_request_timeout_sec", "service.http_client_disconnect_timeout_sec", "service.enable_tls",
        "service.verify_https_client_certificate", "service.jwt_rbac", "service.enforce_internal_auth",
        "service.hide_jwt_dashboard", "service.static_content_dir", "service.enable_static_content",
        "service.slow_query_secs", "service.hardware_reporting", "service.enable_snapshot_url_recovery",
        "storage.temp_path", "storage.on_disk_payload", "storage.payload.memory", "storage.low_memory_mode",
        "storage.update_concurrency", "storage.update_queue_size", "storage.node_type", "storage.mmap_advice",
        "storage.handle_collection_load_errors", "storage.recovery_mode", "storage.shard_transfer_method",
        "storage.max_collections", "storage.optimizers.prevent_unoptimized", "storage.hnsw_index.inline_storage",
        "storage.hnsw_global_config.healing_threshold", "storage.collection.replication_factor",
        "storage.collection.write_consistency_factor", "storage.collection.shard_number",
        "storage.collection.shard_number_per_node", "storage.collection.vectors.on_disk",
        "storage.collection.vectors.memory", "storage.collection.quantization", "logger.format",
    };

    // Whole sections Qdrant defines whose inner keys Grape does not interpret.
    private static readonly string[] AcceptedSections =
    [
        "storage.performance.", "storage.snapshots_config.", "storage.optimizers_overwrite.", "storage.collection.strict_mode.",
        "storage.collection.quantization.", "storage.quotas.", "cluster.", "tls.", "audit.", "inference.", "gpu.",
        "feature_flags.", "debugger.", "logger.on_disk.",
    ];

    private static readonly string[] EnvPrefixes = ["QDRANT__", "GRAPE__"]; // applied in this order: GRAPE wins

    /// <summary>Layers the configuration. Throws <see cref="ConfigException"/> naming the offending key or flag.</summary>
    public static ServerSettings Load(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var flags = ParseFlags(args);
        var layers = new List<(string Source, Dictionary<string, string?> Values)>();
        if (flags.ConfigPath is { } path) layers.Add(($"config file `{path}`", ReadYamlFile(path)));
        foreach (var prefix in EnvPrefixes)
        {
            var env = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || name.Length == prefix.Length) continue;
                env[name[prefix.Length..].ToLowerInvariant().Replace("__", ".", StringComparison.Ordinal)] = value;
            }
            if (env.Count > 0) layers.Add(($"{prefix}* environment variables", env));
        }
        layers.Add(("command-line flags", flags.Values));

        var settings = new ServerSettings();
        foreach (var (source, values) in layers)
        {
            foreach (var (key, value) in values)
            {
                try
                {
                    if (Applied.TryGetValue(key, out var apply)) settings = apply(settings, key, value);
                    else if (!Accepted.Contains(key) && !AcceptedSections.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
                        throw new ConfigException($"Unknown configuration key `{key}`{Suggest(key)}");
                }
                catch (ConfigException e)
                {
                    throw new ConfigException($"{e.Message} (from {source})");
                }
            }
        }
        if (flags.DisableTelemetry) settings = settings with { TelemetryDisabled = true };
        Validate(settings);
        return settings;
    }

    // Rules between keys, checked once every layer is in (a later layer may fix what an earlier one set).
    private static void Validate(ServerSettings s)
    {
        if (s.Grpc.MaxQueuedCalls > 0 && s.Grpc.MaxConcurrentCalls == 0)
            throw new ConfigException("Configuration key `grape.grpc.max_queued_calls` needs `grape.grpc.max_concurrent_calls` set above 0 (with no limit no call ever waits)");
    }

    private sealed record Flags(string? ConfigPath, bool DisableTelemetry, Dictionary<string, string?> Values);

    private static Flags ParseFlags(IReadOnlyList<string> args)
    {
        string? configPath = null;
        bool disableTelemetry = false;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i], name = arg;
            string? value = null;
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0) { name = arg[..eq]; value = arg[(eq + 1)..]; }
            if (name == "--disable-telemetry") { disableTelemetry = true; continue; }
            string? key = name switch
            {
                "--config-path" => "",
                "--storage-path" => "storage.storage_path",
                "--http-port" => "service.http_port",
                "--grpc-port" => "service.grpc_port",
                _ => throw new ConfigException($"Unknown command-line argument `{arg}`; known flags: --config-path, --storage-path, --http-port, --grpc-port, --disable-telemetry"),
            };
            if (value is null)
            {
                if (i + 1 >= args.Count) throw new ConfigException($"Flag `{name}` needs a value");
                value = args[++i];
            }
            if (key.Length == 0) configPath = value;
            else values[key] = value;
        }
        return new Flags(configPath, disableTelemetry, values);
    }

    private static Dictionary<string, string?> ReadYamlFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigException($"Config file `{path}` does not exist");
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigException($"Config file `{path}` is not valid YAML: {e.Message}");
        }
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (yaml.Documents.Count == 0) return values;
        var root = yaml.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" or "~" or "null" }) return values; // an empty file
        if (root is not YamlMappingNode map) throw new ConfigException($"Config file `{path}` must hold a mapping of keys");
        Flatten(map, "", values, path);
        return values;
    }

    private static void Flatten(YamlMappingNode map, string prefix, Dictionary<string, string?> into, string file)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { } name }) throw new ConfigException($"Config file `{file}` has a non-scalar key under `{prefix}`");
            string key = prefix + name.ToLowerInvariant();
            switch (v)
            {
                case YamlMappingNode child:
                    Flatten(child, key + ".", into, file);
                    break;
                case YamlScalarNode scalar:
                    // Plain `null`, `~` and an empty value are YAML nulls; a quoted "null" stays a string.
                    bool isNull = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
                    // `storage:` with nothing under it is an empty section, not a key.
                    if (isNull && IsSection(key)) break;
                    into[key] = isNull ? null : scalar.Value;
                    break;
                case YamlSequenceNode:
                    // No applied key takes a list; sections that do (e.g. gpu.devices) are accepted wholesale.
                    into[key] = "[list]";
                    if (Applied.ContainsKey(key)) throw new ConfigException($"Configuration key `{key}` expects a single value, not a list (in `{file}`)");
                    break;
            }
        }
    }

    private static bool IsSection(string key)
    {
        string p = key + ".";
        return Applied.Keys.Concat(Accepted).Concat(AcceptedSections).Any(k => k.StartsWith(p, StringComparison.Ordinal))
            || AcceptedSections.Any(k => p.StartsWith(k, StringComparison.Ordinal));
    }

    private static string Suggest(string key)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var known in Applied.Keys.Concat(Accepted))
        {
            int d = Levenshtein(key, known);
            if (d < bestDistance) { bestDistance = d; best = known; }
        }
        return best is not null && bestDistance <= 3 ? $"; did you mean `{best}`?" : "";
    }

    private static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    private static string Required(string key, string? value) =>
        string.IsNullOrEmpty(value) ? throw new ConfigException($"Configuration key `{key}` must not be empty") : value;

    private static int Int(string key, string? value, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n))
            throw new ConfigException($"Configuration key `{key}` expects an integer, got `{value}`");
        if (n < min) throw new ConfigException($"Configuration key `{key}` must be {min} or more, got {n}");
        if (n > max) throw new ConfigException($"Configuration key `{key}` must be {max} or less, got {n}");
        return n;
    }

    private static int? NullableInt(string key, string? value) => value is null ? null : Int(key, value);

    private static int Port(string key, string? value)
    {
        int port = Int(key, value);
        if (port is < 0 or > 65535) throw new ConfigException($"Configuration key `{key}` must be a port from 0 to 65535, got {port}");
        return port;
    }

    private static double Double(string key, string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d
            : throw new ConfigException($"Configuration key `{key}` expects a number, got `{value}`");

    private static bool Bool(string key, string? value) => value?.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new ConfigException($"Configuration key `{key}` expects true or false, got `{value}`"),
    };

    private static ServerSettings MaxSegmentSize(ServerSettings s, string k, string? v) => s with { Optimizers = s.Optimizers with { MaxSegmentSize = NullableInt(k, v) } };
    private static ServerSettings MemmapThreshold(ServerSettings s, string k, string? v) => s with { Optimizers = s.Optimizers with { MemmapThreshold = NullableInt(k, v) } };
    private static ServerSettings IndexingThreshold(ServerSettings s, string k, string? v) => s with { Optimizers = s.Optimizers with { IndexingThreshold = NullableInt(k, v) } };
    private static ServerSettings FullScanThreshold(ServerSettings s, string k, string? v) => s with { Hnsw = s.Hnsw with { FullScanThreshold = Int(k, v, min: 0) } };
}
