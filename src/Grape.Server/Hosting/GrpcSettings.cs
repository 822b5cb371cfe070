namespace Grape.Server.Hosting;

/// <summary>
/// Grape's own gRPC tuning (Qdrant has no keys for these), under <c>grape.grpc.*</c> in the config file
/// (<c>GRAPE__GRAPE__GRPC__*</c> in the environment). Validated at start-up: a bad value stops the server.
/// </summary>
internal sealed record GrpcSettings
{
    /// <summary>Seconds without any frame from a client before the server sends an HTTP/2 PING; 0 sends none.</summary>
    public int KeepAliveIntervalSec { get; init; } = 60;

    /// <summary>Seconds the server waits for the PING's answer before it closes the connection.</summary>
    public int KeepAliveTimeoutSec { get; init; } = 20;

    /// <summary>HTTP/2 streams (concurrent calls) one connection may open; more wait in the client.</summary>
    public int MaxConcurrentStreams { get; init; } = 100;

    /// <summary>gRPC calls running at once across all connections; 0 is no limit. Health checks are not counted.</summary>
    public int MaxConcurrentCalls { get; init; }

    /// <summary>Calls that may wait (oldest first) for a slot when <see cref="MaxConcurrentCalls"/> are running; one more is refused with RESOURCE_EXHAUSTED.</summary>
    public int MaxQueuedCalls { get; init; }
}
