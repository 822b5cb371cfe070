namespace Grape.Core.Collections;

/// <summary>Qdrant's <c>wal_config</c>.</summary>
public sealed record WalConfig
{
    /// <summary>Size of one WAL file in megabytes.</summary>
    public int WalCapacityMb { get; init; } = 32;
    /// <summary>WAL files created ahead of need.</summary>
    public int WalSegmentsAhead { get; init; }
    /// <summary>Closed WAL files kept after they are no longer needed.</summary>
    public int WalRetainClosed { get; init; } = 1;
}

/// <summary>A partial <see cref="WalConfig"/>.</summary>
public sealed record WalConfigDiff
{
    public int? WalCapacityMb { get; init; }
    public int? WalSegmentsAhead { get; init; }
    public int? WalRetainClosed { get; init; }
}
