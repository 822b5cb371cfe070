using Grape.Core.Collections.Shards;
using Grape.Core.Embedded;
using Grape.Core.Storage.Segments;
using Microsoft.Extensions.Logging;

namespace Grape.Core.Collections.Optimizer;

/// <summary>
/// The background worker of one collection, with Qdrant's <c>optimizers_config</c> meaning: flushes every
/// <c>flush_interval_sec</c>; vacuums segments whose deleted share passes <c>deleted_threshold</c> (with at least
/// <c>vacuum_min_vector_number</c> slots); turns the appendable segment into an immutable one once its vectors pass
/// <c>indexing_threshold</c> KB (the HNSW issue builds the index at that step); merges the smallest immutable segments
/// while there are more than <c>default_segment_number</c>, keeping each under <c>max_segment_size</c> KB.
/// One optimization runs at a time per collection; reads and writes go on meanwhile.
/// </summary>
internal sealed class SegmentOptimizer : IDisposable
{
    /// <summary>Max segment size when the config leaves it unset, in KB of vectors.</summary>
    public const int DefaultMaxSegmentSizeKb = 200_000;

    private readonly LocalShard _shard;
    private readonly Func<CollectionConfig> _config;
    private readonly ILogger _logger;
    private readonly Action<Exception> _onFatal;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly Task _loop;
    private volatile bool _running;
    private volatile string? _lastError;

    public SegmentOptimizer(LocalShard shard, Func<CollectionConfig> config, GrapeOptions options, Action<Exception> onFatal)
    {
        _shard = shard;
        _config = config;
        _onFatal = onFatal;
        _logger = options.LoggerFactory.CreateLogger("Grape.Core.Collections.Optimizer");
        _loop = Task.Factory.StartNew(() => RunAsync(_stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public bool IsRunning => _running;
    public string? LastError => _lastError;

    /// <summary>Asks for a check soon (after writes or a config change).</summary>
    public void Trigger()
    {
        if (_signal.CurrentCount == 0) _signal.Release();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var lastFlush = DateTime.UtcNow;
        while (!ct.IsCancellationRequested)
        {
            var cfg = _config().OptimizersConfig;
            var interval = TimeSpan.FromSeconds(Math.Max(1, cfg.FlushIntervalSec));
            try { await _signal.WaitAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            try
            {
                while (!ct.IsCancellationRequested && _config() is var config && PlanNext(config) is { } inputs)
                {
                    _running = true;
                    int points = _shard.Optimize(inputs, IndexingPlans(config), ct);
                    if (points >= 0) ShardLog.Optimized(_logger, inputs.Count, points, inputs[0].Directory);
                    _lastError = null;
                }
                if (DateTime.UtcNow - lastFlush >= interval)
                {
                    _shard.Flush();
                    lastFlush = DateTime.UtcNow;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _lastError = e.Message;
                ShardLog.OptimizerFailed(_logger, "optimizer", e);
            }
            catch (Exception e)
            {
                _lastError = e.Message;
                ShardLog.OptimizerFailed(_logger, "optimizer", e);
                if (e is Errors.StorageCorruptedException) _onFatal(e);
            }
            finally
            {
                _running = false;
            }
        }
    }

    /// <summary>The next set of segments to rebuild, or null when nothing needs doing.</summary>
    internal IReadOnlyList<Segment>? PlanNext(CollectionConfig config)
    {
        var o = config.OptimizersConfig;
        var set = _shard.AcquireSegments();
        try
        {
            // 1. Vacuum: too many deleted slots.
            foreach (var s in set.Segments)
            {
                int slots = s.SlotCount;
                if (slots >= o.VacuumMinVectorNumber && (slots - s.LivePointCount) > o.DeletedThreshold * slots)
                    return [s];
            }
            // 2. The appendable segment is big enough to become immutable (and, with HNSW, indexed).
            long maxBytes = (long)(o.MaxSegmentSize ?? DefaultMaxSegmentSizeKb) * 1024;
            var a = set.Appendable;
            if (a.LivePointCount > 0 && ((o.IndexingThreshold is > 0 and var t && a.VectorBytes >= (long)t * 1024) || a.VectorBytes >= maxBytes))
                return [a];
            // 3. An immutable segment lacks the graph it should have, or has one built with other parameters (a config
            //    change): rebuild it. The rebuilt segment gets exactly the wanted graphs, so this does not repeat.
            var plans = IndexingPlans(config);
            foreach (var s in set.Segments)
            {
                if (ReferenceEquals(s, a)) continue;
                for (int c = 0; c < plans.Length; c++)
                {
                    if (plans[c] is { } plan && plan.Wants(s.ColumnVectorBytes(c)) && !plan.Matches(s.GetIndexSpec(c))) return [s];
                }
            }
            // 4. Merge: more immutable segments than the target; take the smallest that fit together.
            int target = o.DefaultSegmentNumber > 0 ? o.DefaultSegmentNumber : Math.Max(2, Environment.ProcessorCount);
            var immutable = set.Segments.Where(s => !ReferenceEquals(s, a)).OrderBy(s => s.VectorBytes).ToList();
            if (immutable.Count > target)
            {
                var pick = new List<Segment>();
                long size = 0;
                foreach (var s in immutable)
                {
                    if (pick.Count >= 2 && size + s.VectorBytes > maxBytes) break;
                    pick.Add(s);
                    size += s.VectorBytes;
                    if (immutable.Count - pick.Count + 1 <= target) break;
                }
                if (pick.Count >= 2) return pick;
            }
            return null;
        }
        finally
        {
            set.Release();
        }
    }

    /// <summary>Per column of the shard, the graph the optimizer builds into new segments (null: none).</summary>
    internal Indexing.Hnsw.HnswColumnPlan?[] IndexingPlans(CollectionConfig config) =>
        Indexing.Hnsw.HnswColumnPlan.For(config, Array.ConvertAll(_shard.Specs, s => s.Name), _shard.PayloadSchema.Current);

    public void Dispose()
    {
        _stop.Cancel();
        try { _loop.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
