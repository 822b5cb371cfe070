using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grape.Core.Embedded;

/// <summary>How to open a <see cref="GrapeDatabase"/>. Immutable; build with <c>with</c>.</summary>
public sealed record GrapeOptions
{
    /// <summary>Opens (or creates) the database in <paramref name="storagePath"/>.</summary>
    public GrapeOptions(string storagePath) => StoragePath = storagePath;

    private GrapeOptions() { StoragePath = null; }

    /// <summary>A database that lives in memory only: nothing survives <see cref="GrapeDatabase.CloseAsync"/>.</summary>
    public static GrapeOptions InMemory() => new();

    /// <summary>The storage folder, or null for an in-memory database.</summary>
    public string? StoragePath { get; }
    public bool IsInMemory => StoragePath is null;

    /// <summary>How long <see cref="GrapeDatabase.CloseAsync"/> waits for operations in flight by default.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
    /// <summary>Called as the database moves through its states.</summary>
    public GrapeLifecycleHooks? Hooks { get; init; }
    /// <summary>Run the background optimizer (merging, vacuum, indexing). Tests may turn it off.</summary>
    public bool EnableOptimizer { get; init; } = true;
    /// <summary>Defaults for collections created without explicit settings.</summary>
    public Collections.OptimizersConfig DefaultOptimizersConfig { get; init; } = new();
    public Collections.WalConfig DefaultWalConfig { get; init; } = new();
    public Collections.HnswConfig DefaultHnswConfig { get; init; } = new();
}

/// <summary>
/// Callbacks around the database's life: <see cref="Starting"/> before storage opens, <see cref="Started"/> once it
/// serves, <see cref="Stopping"/> when close begins (new calls are already refused), <see cref="Stopped"/> after
/// everything is flushed and released. A failing hook is logged and does not stop the transition.
/// </summary>
public sealed record GrapeLifecycleHooks
{
    public Func<CancellationToken, ValueTask>? Starting { get; init; }
    public Func<GrapeDatabase, CancellationToken, ValueTask>? Started { get; init; }
    public Func<GrapeDatabase, CancellationToken, ValueTask>? Stopping { get; init; }
    public Func<CancellationToken, ValueTask>? Stopped { get; init; }
}
