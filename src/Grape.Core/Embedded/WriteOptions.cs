namespace Grape.Core.Embedded;

/// <summary>Qdrant's write ordering (meaningful in a cluster; accepted everywhere).</summary>
public enum WriteOrdering { Weak, Medium, Strong }

/// <summary>
/// How a write returns. <see cref="Wait"/> false: once the operation is in the write-ahead log
/// (<see cref="UpdateStatus.Acknowledged"/>). True: once it is durable (fsync) and visible to reads
/// (<see cref="UpdateStatus.Completed"/>).
/// </summary>
public sealed record WriteOptions(bool Wait = false, WriteOrdering Ordering = WriteOrdering.Weak)
{
    public static WriteOptions Default { get; } = new();
    public static WriteOptions WaitForDurable { get; } = new(Wait: true);
}

public enum UpdateStatus { Acknowledged, Completed }

/// <summary>The outcome of a write: its operation number in the shard's log and how far it got.</summary>
public sealed record UpdateResult(ulong OperationId, UpdateStatus Status);
