using Grape.Core.Embedded;
using Grape.Server.Errors;
using Grape.Server.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Grape.Server.Hosting;

/// <summary>
/// Owns the <see cref="GrapeDatabase"/> for the server's lifetime. Storage opens in the background so the listener
/// is up at once (Qdrant's /readyz answers 503 while shards load); on SIGTERM / Ctrl+C the host stops us and we close
/// the database with <see cref="ServerSettings.CloseTimeout"/>, which drains the requests in flight and flushes.
/// </summary>
internal sealed class DatabaseHost(ServerSettings settings, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime) : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DatabaseHost>();
    private readonly TaskCompletionSource<GrapeDatabase> _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile GrapeDatabase? _db;
    private volatile Exception? _openError;

    /// <summary>The open database; throws <see cref="ServiceNotReadyException"/> (503) while storage is still opening.</summary>
    public GrapeDatabase Database => _db ?? throw new ServiceNotReadyException(
        _openError is null ? "storage is still loading" : $"storage failed to open: {_openError.Message}");

    public bool IsReady => _db is { State: GrapeState.Running };

    /// <summary>Completes when storage is open (faults if opening failed).</summary>
    public Task<GrapeDatabase> WhenOpen => _opened.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(OpenAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OpenAsync()
    {
        string path = Path.GetFullPath(settings.StoragePath);
        ServerLog.OpeningStorage(_logger, path);
        try
        {
            var options = new GrapeOptions(path)
            {
                CloseTimeout = settings.CloseTimeout,
                LoggerFactory = loggerFactory,
                DefaultOptimizersConfig = settings.Optimizers,
                DefaultHnswConfig = settings.Hnsw,
                DefaultWalConfig = settings.Wal,
            };
            _db = await GrapeDatabase.OpenAsync(options).ConfigureAwait(false);
            ServerLog.Ready(_logger);
            _opened.TrySetResult(_db);
        }
        catch (Exception e)
        {
            _openError = e;
            ServerLog.OpenFailed(_logger, path, e);
            _opened.TrySetException(e);
            Environment.ExitCode = 1;
            lifetime.StopApplication(); // a server that cannot open its storage must not pretend to run
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try { await _opened.Task.WaitAsync(settings.CloseTimeout, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception) { /* never opened, or opening is stuck: nothing to close */ }
        if (_db is not { } db) return;
        ServerLog.Closing(_logger, settings.CloseTimeout.TotalSeconds);
        if (!await db.CloseAsync(settings.CloseTimeout).ConfigureAwait(false)) ServerLog.CloseTimedOut(_logger);
    }
}
