using Grape.Server.Hosting;

namespace Grape.Server.Tests.Hosting;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "grape-config-" + Guid.NewGuid().ToString("N"));
    private static readonly Dictionary<string, string?> NoEnv = new();

    public ConfigLoaderTests() => Directory.CreateDirectory(_folder);
    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Yaml(string text)
    {
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Defaults_are_Qdrants()
    {
        var s = ConfigLoader.Load([], NoEnv);
        Assert.Equal(6333, s.HttpPort);
        Assert.Equal(6334, s.GrpcPort);
        Assert.Equal("./storage", s.StoragePath);
        Assert.Equal(32, s.MaxRequestSizeMb);
        Assert.Equal("0.0.0.0", s.Host);
        Assert.Null(s.ApiKey);
        Assert.True(s.EnableCors);
    }

    [Fact]
    public void File_then_env_then_flags_each_win_over_the_previous_layer()
    {
        string file = Yaml("""
            log_level: DEBUG
            service:
              http_port: 7000
              grpc_port: 7001
              api_key: from-file
              max_request_size_mb: 5
            storage:
              storage_path: /from/file
              optimizers:
                indexing_threshold_kb: 123
              hnsw_index:
                m: 8
            """);
        var env = new Dictionary<string, string?>
        {
            ["QDRANT__SERVICE__HTTP_PORT"] = "7100",
            ["QDRANT__SERVICE__API_KEY"] = "from-env",
            ["QDRANT__STORAGE__STORAGE_PATH"] = "/from/env",
            ["UNRELATED_VARIABLE"] = "ignored",
        };
        var s = ConfigLoader.Load(["--config-path", file, "--http-port", "7200", "--storage-path=/from/flag"], env);
        Assert.Equal(7200, s.HttpPort);          // flag over env over file
        Assert.Equal(7001, s.GrpcPort);          // file only
        Assert.Equal("from-env", s.ApiKey);      // env over file
        Assert.Equal("/from/flag", s.StoragePath);
        Assert.Equal(5, s.MaxRequestSizeMb);
        Assert.Equal("DEBUG", s.LogLevel);
        Assert.Equal(123, s.Optimizers.IndexingThreshold);
        Assert.Equal(8, s.Hnsw.M);
    }

    [Fact]
    public void Grape_prefix_wins_over_qdrant_prefix()
    {
        var env = new Dictionary<string, string?> { ["QDRANT__SERVICE__HTTP_PORT"] = "1111", ["GRAPE__SERVICE__HTTP_PORT"] = "2222" };
        Assert.Equal(2222, ConfigLoader.Load([], env).HttpPort);
    }

    [Fact]
    public void Env_keys_are_case_insensitive_and_top_level_keys_work()
    {
        var env = new Dictionary<string, string?> { ["qdrant__log_level"] = "WARN", ["GRAPE__Service__Read_Only_Api_Key"] = "ro" };
        var s = ConfigLoader.Load([], env);
        Assert.Equal("WARN", s.LogLevel);
        Assert.Equal("ro", s.ReadOnlyApiKey);
    }

    [Fact]
    public void An_empty_api_key_counts_as_unset()
    {
        var env = new Dictionary<string, string?> { ["QDRANT__SERVICE__API_KEY"] = "" };
        Assert.Null(ConfigLoader.Load([], env).ApiKey);
    }

    [Fact]
    public void Unknown_key_in_the_file_is_an_error_naming_it_and_suggesting_the_right_one()
    {
        string file = Yaml("service:\n  http_prot: 7000\n");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(["--config-path", file], NoEnv));
        Assert.Contains("service.http_prot", e.Message, StringComparison.Ordinal);
        Assert.Contains("service.http_port", e.Message, StringComparison.Ordinal);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_env_key_is_an_error()
    {
        var env = new Dictionary<string, string?> { ["GRAPE__SERVICE__HTTPPORT"] = "1" };
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load([], env));
        Assert.Contains("service.httpport", e.Message, StringComparison.Ordinal);
        Assert.Contains("GRAPE__", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_flag_and_bad_values_are_errors()
    {
        Assert.Contains("--http-prt", Assert.Throws<ConfigException>(() => ConfigLoader.Load(["--http-prt", "1"], NoEnv)).Message, StringComparison.Ordinal);
        Assert.Contains("service.http_port", Assert.Throws<ConfigException>(() => ConfigLoader.Load(["--http-port", "abc"], NoEnv)).Message, StringComparison.Ordinal);
        Assert.Contains("65535", Assert.Throws<ConfigException>(() => ConfigLoader.Load(["--http-port", "70000"], NoEnv)).Message, StringComparison.Ordinal);
        Assert.Contains("needs a value", Assert.Throws<ConfigException>(() => ConfigLoader.Load(["--storage-path"], NoEnv)).Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Throws<ConfigException>(() => ConfigLoader.Load(["--config-path", Path.Combine(_folder, "missing.yaml")], NoEnv)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qdrants_full_sample_config_loads()
    {
        string file = Yaml("""
            log_level: INFO
            storage:
              storage_path: ./storage
              snapshots_path: ./snapshots
              on_disk_payload: true
              wal: {wal_capacity_mb: 32, wal_segments_ahead: 0}
              performance: {max_search_threads: 0, optimizer_cpu_budget: 0}
              optimizers: {deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0,
                           indexing_threshold_kb: 10000, flush_interval_sec: 5, max_optimization_threads: null}
              hnsw_index: {m: 16, ef_construct: 100, full_scan_threshold_kb: 10000, max_indexing_threads: 0}
            service: {host: 0.0.0.0, http_port: 6333, grpc_port: 6334, max_request_size_mb: 32, enable_cors: true,
                      enable_tls: false}
            cluster: {enabled: false, p2p: {port: 6335}}
            telemetry_disabled: false
            """);
        var s = ConfigLoader.Load(["--config-path", file], NoEnv);
        Assert.Equal(6333, s.HttpPort);
        Assert.Equal(0.2, s.Optimizers.DeletedThreshold);
        Assert.Null(s.Optimizers.MaxOptimizationThreads);
    }

    [Fact]
    public void Grpc_port_null_disables_grpc()
    {
        string file = Yaml("service:\n  grpc_port: null\n");
        Assert.Null(ConfigLoader.Load(["--config-path", file], NoEnv).GrpcPort);
    }

    [Fact]
    public void Grpc_tuning_defaults_keep_alive_on_and_no_call_limit()
    {
        var g = ConfigLoader.Load([], NoEnv).Grpc;
        Assert.Equal(60, g.KeepAliveIntervalSec);
        Assert.Equal(20, g.KeepAliveTimeoutSec);
        Assert.Equal(100, g.MaxConcurrentStreams);
        Assert.Equal(0, g.MaxConcurrentCalls);
        Assert.Equal(0, g.MaxQueuedCalls);
    }

    [Fact]
    public void Grpc_tuning_loads_from_the_grape_section_of_the_file_and_env_wins()
    {
        string file = Yaml("""
            grape:
              grpc:
                keep_alive_interval_sec: 15
                keep_alive_timeout_sec: 5
                max_concurrent_streams: 32
                max_concurrent_calls: 8
                max_queued_calls: 4
            """);
        var env = new Dictionary<string, string?> { ["GRAPE__GRAPE__GRPC__MAX_QUEUED_CALLS"] = "16", ["QDRANT__GRAPE__GRPC__KEEP_ALIVE_INTERVAL_SEC"] = "0" };
        var g = ConfigLoader.Load(["--config-path", file], env).Grpc;
        Assert.Equal(0, g.KeepAliveIntervalSec);  // env over file; 0 turns pings off
        Assert.Equal(5, g.KeepAliveTimeoutSec);
        Assert.Equal(32, g.MaxConcurrentStreams);
        Assert.Equal(8, g.MaxConcurrentCalls);
        Assert.Equal(16, g.MaxQueuedCalls);
    }

    [Theory]
    [InlineData("GRAPE__GRAPE__GRPC__KEEP_ALIVE_INTERVAL_SEC", "-1", "grape.grpc.keep_alive_interval_sec", "0 or more")]
    [InlineData("GRAPE__GRAPE__GRPC__KEEP_ALIVE_INTERVAL_SEC", "100000", "grape.grpc.keep_alive_interval_sec", "86400 or less")]
    [InlineData("GRAPE__GRAPE__GRPC__KEEP_ALIVE_TIMEOUT_SEC", "0", "grape.grpc.keep_alive_timeout_sec", "1 or more")]
    [InlineData("GRAPE__GRAPE__GRPC__MAX_CONCURRENT_STREAMS", "0", "grape.grpc.max_concurrent_streams", "1 or more")]
    [InlineData("GRAPE__GRAPE__GRPC__MAX_CONCURRENT_CALLS", "many", "grape.grpc.max_concurrent_calls", "expects an integer")]
    [InlineData("GRAPE__GRAPE__GRPC__MAX_QUEUED_CALLS", "-3", "grape.grpc.max_queued_calls", "0 or more")]
    [InlineData("GRAPE__GRAPE__GRPC__MAX_CONCURENT_CALLS", "4", "grape.grpc.max_concurent_calls", "did you mean `grape.grpc.max_concurrent_calls`")]
    public void Bad_grpc_tuning_values_stop_start_up_naming_the_key(string variable, string value, string key, string reason)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load([], new Dictionary<string, string?> { [variable] = value }));
        Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_call_queue_without_a_call_limit_is_an_error_but_a_later_layer_can_supply_the_limit()
    {
        string file = Yaml("grape:\n  grpc:\n    max_queued_calls: 10\n");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(["--config-path", file], NoEnv));
        Assert.Contains("grape.grpc.max_concurrent_calls", e.Message, StringComparison.Ordinal);
        var env = new Dictionary<string, string?> { ["GRAPE__GRAPE__GRPC__MAX_CONCURRENT_CALLS"] = "2" };
        var g = ConfigLoader.Load(["--config-path", file], env).Grpc;
        Assert.Equal((2, 10), (g.MaxConcurrentCalls, g.MaxQueuedCalls));
    }
}
