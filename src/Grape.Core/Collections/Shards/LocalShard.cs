using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Core.Storage;
using Grape.Core.Storage.Segments;
using Grape.Core.Storage.Wal;
using Microsoft.Extensions.Logging;

namespace Grape.Core.Collections.Shards;

/// <summary>
/// A WAL plus a set of segments: the unit of durability and recovery. One write gate serializes writers (log append
/// and apply happen under it, so segments see operations in log order); readers pin the current
/// <see cref="SegmentSet"/> and never take it.
/// <para>
/// The gate is a semaphore, not a monitor: writers wait for it asynchronously. Under a monitor, many concurrent
/// writers (a server's request handlers) spin and then block thread-pool threads while one writer applies or a flush
/// fsyncs; on a 2-core machine the spinning alone took most of the CPU and REST upserts ran at a tenth of the
/// embedded rate. Background work (flush, optimizer swap, close) takes it synchronously.
/// </para>
/// </summary>
internal sealed partial class LocalShard : IDisposable
{
    private const string StateFileName = "shard.json";

    private readonly string _directory;
    private readonly GrapeOptions _options;
    private readonly ILogger _logger;
    private readonly WriteAheadLog _wal;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SegmentSet _current;
    private ulong _appliedOpNum;     // last op applied to the segments
    private ulong _persistedOpNum;   // last op covered by the segments' last flush
    private bool _disposed;

    private LocalShard(string directory, SegmentVectorSpec[] specs, GrapeOptions options, WriteAheadLog wal, SegmentSet current, ulong persisted, ILogger logger)
    {
        _directory = directory;
        Specs = specs;
        _options = options;
        _wal = wal;
        _current = current;
        _persistedOpNum = persisted;
        _appliedOpNum = persisted;
        _logger = logger;
    }

    /// <summary>The vector columns every segment of this shard has, in column order.</summary>
    public SegmentVectorSpec[] Specs { get; }

    public ulong AppliedOpNum => Volatile.Read(ref _appliedOpNum);

    private string SegmentsDir => Path.Combine(_directory, "segments");

    public static LocalShard Open(string directory, SegmentVectorSpec[] specs, WalConfig walConfig, GrapeOptions options,
        Indexing.Payload.PayloadSchemaStore? payloadSchema = null)
    {
        var logger = options.LoggerFactory.CreateLogger("Grape.Core.Collections.Shards.LocalShard");
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(Path.Combine(directory, "segments"));
        var statePath = Path.Combine(directory, StateFileName);
        ShardState state = File.Exists(statePath)
            ? JsonSerializer.Deserialize(File.ReadAllBytes(statePath), ShardJsonContext.Default.ShardState) ?? throw new StorageCorruptedException($"Empty {statePath}")
            : new ShardState(0, [], null);

        var segments = new List<Segment>();
        Segment? appendable = null;
        WriteAheadLog? wal = null;
        try
        {
            var known = new HashSet<string>(state.Segments, StringComparer.Ordinal);
            // Folders not named by the state file are half-built optimizer output or dropped segments.
            foreach (var dir in Directory.GetDirectories(Path.Combine(directory, "segments")))
                if (!known.Contains(Path.GetFileName(dir))) Directory.Delete(dir, recursive: true);
            foreach (var name in state.Segments)
            {
                var s = Segment.Open(Path.Combine(directory, "segments", name));
                segments.Add(s);
                if (name == state.Appendable) appendable = s;
            }
            if (appendable is null)
            {
                appendable = Segment.CreateAppendable(NewSegmentDir(directory), specs);
                segments.Add(appendable);
            }

            var walOptions = new WalOptions((long)walConfig.WalCapacityMb << 20, walConfig.WalSegmentsAhead, Durable: !options.IsInMemory);
            wal = WriteAheadLog.Open(Path.Combine(directory, "wal"), walOptions, logger);
            // The WAL is fsynced before every segment flush, so it never ends before the persisted op; an empty
            // (fully truncated) log resumes numbering after it.
            if (wal.LastOpNum == 0) wal.EnsureNextOpNumAtLeast(state.PersistedOpNum + 1);
            else if (wal.LastOpNum < state.PersistedOpNum)
                throw new StorageCorruptedException($"WAL in {directory} ends at op {wal.LastOpNum}, before the persisted op {state.PersistedOpNum}");

            var shard = new LocalShard(directory, specs, options, wal, new SegmentSet([.. segments], appendable), state.PersistedOpNum, logger);
            if (payloadSchema is not null) shard._payloadSchema = payloadSchema;
            shard.Replay();
            shard.ReconcilePayloadIndexes();
            if (state.Segments.Count == 0) shard.Flush(); // a new shard: make its first appendable segment durable
            return shard;
        }
        catch
        {
            wal?.Dispose();
            foreach (var s in segments) s.Dispose();
            throw;
        }
    }

    private static string NewSegmentDir(string shardDir) => Path.Combine(shardDir, "segments", Guid.NewGuid().ToString("N"));

    /// <summary>Applies every logged operation past the segments' last flush, in log order.</summary>
    private void Replay()
    {
        int replayed = 0;
        foreach (var record in _wal.ReadFrom(_persistedOpNum + 1))
        {
            var op = ShardOperationCodec.Decode(record.Payload.Span);
            ApplyLocked(op, record.OpNum);
            replayed++;
        }
        if (replayed > 0) ShardLog.Replayed(_logger, replayed, _directory);
    }

    /// <summary>Pins the current segments for reading; always pair with <see cref="SegmentSet.Release"/>.</summary>
    public SegmentSet AcquireSegments()
    {
        while (true)
        {
            var set = Volatile.Read(ref _current);
            if (set.TryAcquire()) return set;
        }
    }

    /// <summary>
    /// Logs and applies one operation. <paramref name="resolve"/> runs under the write lock first, to turn filters into
    /// ids against the state the operation applies to; it may return null to skip the write entirely.
    /// </summary>
    public async ValueTask<UpdateResult> WriteAsync(ShardOperation? op, Func<LocalShard, ShardOperation?>? resolve, bool wait, CancellationToken cancellationToken)
    {
        ulong opNum;
        using var buffer = new Primitives.PooledBufferWriter(op is null ? 256 : ShardOperationCodec.EstimateSize(op));
        if (op is not null) ShardOperationCodec.Encode(op, buffer); // outside the lock: the costly part of logging
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed) ThrowHelper.Closed();
            if (resolve is not null)
            {
                op = resolve(this);
                if (op is null) return new UpdateResult(_wal.LastOpNum, wait ? UpdateStatus.Completed : UpdateStatus.Acknowledged);
                ShardOperationCodec.Encode(op, buffer);
            }
            // Hold the gate across append and apply: the segments must see operations in log order.
            opNum = _wal.Append(buffer.WrittenSpan);
            try
            {
                ApplyLocked(op!, opNum);
            }
            catch (Exception e) when (e is not GrapeException)
            {
                // The op is logged but could not be applied: the in-memory state no longer matches the log.
                throw new StorageCorruptedException($"Applying operation {opNum} failed: {e.Message}", e);
            }
        }
        finally
        {
            _writeGate.Release();
        }
        if (!wait) return new UpdateResult(opNum, UpdateStatus.Acknowledged);
        await _wal.WaitDurableAsync(opNum, cancellationToken).ConfigureAwait(false);
        return new UpdateResult(opNum, UpdateStatus.Completed);
    }

    /// <summary>Persists every segment and the shard state, then lets the log drop what the segments now cover.</summary>
    public void Flush()
    {
        using (EnterWriteGate())
        {
            if (_disposed) return;
            FlushLocked();
        }
    }

    private void FlushLocked()
    {
        var set = _current;
        // The log must be durable up to everything the segments are about to claim, or a crash could leave
        // segments ahead of the log and op numbers reused.
        _wal.Flush();
        foreach (var s in set.Segments) s.Flush();
        var state = new ShardState(_appliedOpNum, set.Segments.Select(s => Path.GetFileName(s.Directory)).ToList(), Path.GetFileName(set.Appendable.Directory));
        AtomicFile.WriteAllBytes(Path.Combine(_directory, StateFileName), JsonSerializer.SerializeToUtf8Bytes(state, ShardJsonContext.Default.ShardState), durable: !_options.IsInMemory);
        _persistedOpNum = _appliedOpNum;
        // Ops up to the persisted one are covered by segments; keep the log from the next one on.
        _wal.TruncateBefore(_persistedOpNum + 1);
    }

    /// <summary>Takes the write gate synchronously (background work); dispose the scope to release it.</summary>
    private WriteGateScope EnterWriteGate()
    {
        _writeGate.Wait();
        return new WriteGateScope(_writeGate);
    }

    private readonly struct WriteGateScope(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    public void Dispose()
    {
        using (EnterWriteGate())
        {
            if (_disposed) return;
            List<Exception>? errors = null;
            try { _wal.Flush(); } catch (Exception e) { (errors ??= []).Add(e); }
            try { FlushLocked(); } catch (Exception e) { (errors ??= []).Add(e); }
            _disposed = true;
            try { _wal.Dispose(); } catch (Exception e) { (errors ??= []).Add(e); }
            foreach (var s in _current.Segments)
            {
                try { s.Dispose(); } catch (Exception e) { (errors ??= []).Add(e); }
            }
            if (errors is not null) throw new AggregateException("Closing the shard failed", errors);
        }
    }

    /// <summary>Closes and removes the shard's files (collection deletion).</summary>
    public void DisposeAndDeleteFiles()
    {
        using (EnterWriteGate())
        {
            _disposed = true;
            try { _wal.Dispose(); } catch (IOException) { }
            foreach (var s in _current.Segments) s.Dispose();
        }
        Directory.Delete(_directory, recursive: true);
    }
}

internal sealed record ShardState(ulong PersistedOpNum, List<string> Segments, string? Appendable);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ShardState))]
internal sealed partial class ShardJsonContext : JsonSerializerContext;

internal static partial class ShardLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Replayed {Count} WAL operations in {Directory}")]
    public static partial void Replayed(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Optimizer failed in {Directory}")]
    public static partial void OptimizerFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Optimized {Inputs} segments ({Points} points) into one in {Directory}")]
    public static partial void Optimized(ILogger logger, int inputs, int points, string directory);
}
