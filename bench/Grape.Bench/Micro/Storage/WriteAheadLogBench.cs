using BenchmarkDotNet.Attributes;
using Grape.Core.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grape.Bench.Micro.Storage;

/// <summary>
/// Group commit on a real disk (results are per record). Targets: 64 concurrent appenders each waiting for
/// durability ≥ 10,000 records/s on a disk doing ~1,500 fsyncs/s; 1,000 records of 600 B then one wait ≥ 200 MB/s.
/// Run: <c>dotnet run -c Release --project bench/Grape.Bench -- micro --filter '*WriteAheadLog*'</c>.
/// </summary>
[MemoryDiagnoser]
public class WriteAheadLogBench
{
    private const int Appenders = 64, PerAppender = 16, BatchRecords = 1000;

    private readonly byte[] _small = new byte[100];
    private readonly byte[] _large = new byte[600];
    private string _directory = "";
    private WriteAheadLog _log = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(42).NextBytes(_large);
        _directory = Path.Combine(Path.GetTempPath(), "grape-wal-bench-" + Guid.NewGuid().ToString("N"));
        _log = WriteAheadLog.Open(_directory, new WalOptions(), NullLogger.Instance);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>64 tasks, each appending 100 B and waiting until it is durable, 16 times.</summary>
    [Benchmark(OperationsPerInvoke = Appenders * PerAppender)]
    public Task ConcurrentAppendAndWait()
    {
        var tasks = new Task[Appenders];
        for (int t = 0; t < tasks.Length; t++) tasks[t] = Task.Run(AppendAndWaitAsync);
        return Task.WhenAll(tasks);
    }

    private async Task AppendAndWaitAsync()
    {
        for (int i = 0; i < PerAppender; i++) await _log.WaitDurableAsync(_log.Append(_small));
    }

    /// <summary>1,000 records of 600 B, then one wait for the last (MB/s = 616 B per record / time per op).</summary>
    [Benchmark(OperationsPerInvoke = BatchRecords)]
    public async Task BatchAppendThenWait()
    {
        ulong last = 0;
        for (int i = 0; i < BatchRecords; i++) last = _log.Append(_large);
        await _log.WaitDurableAsync(last);
    }
}
