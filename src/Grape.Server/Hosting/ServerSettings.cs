using Grape.Core.Collections;

namespace Grape.Server.Hosting;

/// <summary>
/// The server's effective configuration after layering (YAML file → GRAPE__/QDRANT__ environment → flags), under
/// Qdrant's key names. Keys Qdrant has but Grape does not act on are parsed (so existing files load) and ignored.
/// </summary>
internal sealed record ServerSettings
{
    public string Host { get; init; } = "0.0.0.0";
    public int HttpPort { get; init; } = 6333;
    /// <summary>Reserved for the gRPC listener; null disables it (Qdrant's <c>grpc_port: null</c>).</summary>
    public int? GrpcPort { get; init; } = 6334;
    public string? ApiKey { get; init; }
    public string? AltApiKey { get; init; }
    public string? ReadOnlyApiKey { get; init; }
    public int MaxRequestSizeMb { get; init; } = 32;
    public bool EnableCors { get; init; } = true;
    public string StoragePath { get; init; } = "./storage";
    public string SnapshotsPath { get; init; } = "./snapshots";
    public string LogLevel { get; init; } = "INFO";
    public bool TelemetryDisabled { get; init; }
    public string? MetricsPrefix { get; init; }
    /// <summary>How long a graceful shutdown waits for requests in flight before closing storage.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public OptimizersConfig Optimizers { get; init; } = new();
    public HnswConfig Hnsw { get; init; } = new();
    public WalConfig Wal { get; init; } = new();
    public GrpcSettings Grpc { get; init; } = new();

    public long MaxRequestBytes => (long)MaxRequestSizeMb * 1024 * 1024;
}
