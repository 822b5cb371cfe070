using Grape.Core.Collections;
using Grape.Core.Errors;
using Microsoft.Extensions.Logging;

namespace Grape.Core.Embedded;

/// <summary>
/// The Grape engine in-process: collections, points and search over one storage folder (or memory).
/// Thread-safe. Open with <see cref="OpenAsync"/> or <see cref="Open(GrapeOptions)"/>; close with <see cref="CloseAsync"/>,
/// which waits for the operations in flight, flushes, and then refuses new calls with <see cref="GrapeClosedException"/>.
/// Every operation has an async form (cancellable) and a blocking form of the same name without <c>Async</c>.
/// </summary>
public sealed partial class GrapeDatabase : IAsyncDisposable, IDisposable
{
    private readonly Catalog _catalog;
    private readonly ILogger _logger;
    private readonly InFlightGate _gate = new();
    private readonly object _closeLock = new();
    private Task? _closeTask;
    private int _state = (int)GrapeState.Starting;

    private GrapeDatabase(GrapeOptions options, Catalog catalog)
    {
        Options = options;
        _catalog = catalog;
        _logger = options.LoggerFactory.CreateLogger("Grape.Core.Embedded.GrapeDatabase");
    }

    public GrapeOptions Options { get; }

    /// <summary>The current state; <see cref="GrapeState.Running"/> while calls are served.</summary>
    public GrapeState State => (GrapeState)Volatile.Read(ref _state);

    /// <summary>How many operations are executing right now.</summary>
    public int OperationsInFlight => _gate.Count;

    /// <summary>Raised after every state change, with the new state.</summary>
    public event Action<GrapeState>? StateChanged;

    /// <summary>Opens the database. Fails with <see cref="StorageLockedException"/> if another instance owns the folder.</summary>
    public static async ValueTask<GrapeDatabase> OpenAsync(GrapeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hooks = options.Hooks;
        if (hooks?.Starting is { } starting) await RunHookAsync(options, "starting", () => starting(cancellationToken)).ConfigureAwait(false);
        // Opening storage replays WALs: file I/O, so keep it off the caller's synchronization context.
        var catalog = await Task.Run(() => Catalog.Open(options), cancellationToken).ConfigureAwait(false);
        var db = new GrapeDatabase(options, catalog);
        db.SetState(GrapeState.Running);
        catalog.Faulted += db.OnStorageFaulted;
        if (hooks?.Started is { } started) await RunHookAsync(options, "started", () => started(db, cancellationToken)).ConfigureAwait(false);
        return db;
    }

    /// <summary>Blocking form of <see cref="OpenAsync"/>.</summary>
    public static GrapeDatabase Open(GrapeOptions options) => OpenAsync(options).AsTask().GetAwaiter().GetResult();

    /// <summary>Blocking open of a storage folder (the seed's <c>new_blocking</c>).</summary>
    public static GrapeDatabase Open(string storagePath) => Open(new GrapeOptions(storagePath));

    /// <summary>
    /// Closes gracefully: refuses new calls, waits up to <paramref name="timeout"/> (default
    /// <see cref="GrapeOptions.CloseTimeout"/>) for operations in flight, flushes every collection and releases the
    /// folder. Returns false if the wait timed out (storage is still flushed and closed). Safe to call more than once.
    /// </summary>
    public async ValueTask<bool> CloseAsync(TimeSpan? timeout = null)
    {
        Task<bool> task;
        lock (_closeLock)
        {
            _closeTask ??= CloseCoreAsync(timeout ?? Options.CloseTimeout);
            task = (Task<bool>)_closeTask;
        }
        return await task.ConfigureAwait(false);
    }

    /// <summary>Blocking form of <see cref="CloseAsync"/> (the seed's <c>close</c>).</summary>
    public bool Close(TimeSpan? timeout = null) => CloseAsync(timeout).AsTask().GetAwaiter().GetResult();

    private async Task<bool> CloseCoreAsync(TimeSpan timeout)
    {
        if (State != GrapeState.Faulted) SetState(GrapeState.Stopping);
        _gate.Close();
        var hooks = Options.Hooks;
        if (hooks?.Stopping is { } stopping) await RunHookAsync(Options, "stopping", () => stopping(this, CancellationToken.None)).ConfigureAwait(false);
        bool drained = await _gate.WaitDrainedAsync(timeout).ConfigureAwait(false);
        if (!drained) GrapeLog.CloseTimedOut(_logger, timeout.TotalSeconds, _gate.Count);
        try { await Task.Run(_catalog.Dispose).ConfigureAwait(false); }
        catch (Exception e) { GrapeLog.CloseStepFailed(_logger, "catalog", e); }
        SetState(GrapeState.Stopped);
        if (hooks?.Stopped is { } stopped) await RunHookAsync(Options, "stopped", () => stopped(CancellationToken.None)).ConfigureAwait(false);
        return drained;
    }

    public ValueTask DisposeAsync() => new(CloseAsync().AsTask());
    public void Dispose() => Close();

    private void SetState(GrapeState state)
    {
        Volatile.Write(ref _state, (int)state);
        try { StateChanged?.Invoke(state); } catch (Exception e) { GrapeLog.CloseStepFailed(_logger, "state-changed handler", e); }
    }

    private void OnStorageFaulted(Exception e)
    {
        GrapeLog.StorageFaulted(_logger, e);
        SetState(GrapeState.Faulted);
    }

    private static async ValueTask RunHookAsync(GrapeOptions options, string name, Func<ValueTask> hook)
    {
        try { await hook().ConfigureAwait(false); }
        catch (Exception e) { GrapeLog.HookFailed(options.LoggerFactory.CreateLogger("Grape.Core.Embedded.GrapeDatabase"), name, e); }
    }

    /// <summary>Enters the in-flight gate; throws <see cref="GrapeClosedException"/> once closing.</summary>
    private InFlightGate.Ticket Enter()
    {
        if (!_gate.TryEnter()) ThrowHelper.Closed();
        if (State == GrapeState.Faulted) { _gate.Exit(); throw new StorageCorruptedException("The database is faulted after a storage failure; reopen it"); }
        return new InFlightGate.Ticket(_gate);
    }
}
