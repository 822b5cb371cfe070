using Grape.Bench.Workloads;

namespace Grape.Bench;

/// <summary>Entry point: <c>micro</c> runs BenchmarkDotNet; the other commands run whole workloads and print JSON lines.</summary>
public static class Program
{
    private const string Usage = """
        usage: Grape.Bench <command> [options]
          micro [BenchmarkDotNet args]     micro-benchmarks
          storage --dim D --points N [--storage DIR] [--data DIR] [--queries Q] [--writers W] [--callers C]
                  [--single-seconds S] [--get-seconds S] [--search-seconds S] [--concurrent-points N] [--distance Euclid]
                                           storage-layer figures as JSON lines (--data DIR: exact search + recall on TEXMEX files)
          demo [--storage DIR] [--points N]  a tour of the embedded API on a storage folder
          payload-store [options]          payload storage candidates compared (see bench/payload-store.sh)
          payload-index [--points N] [--dim D] [--repeats R]
                                           filtered count and exact search with and without payload indexes
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }
        try
        {
            switch (args[0])
            {
                case "micro":
                    BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
                    return 0;
                case "storage":
                    return await StorageWorkload.RunAsync(new BenchArgs(args[1..]));
                case "demo":
                    return await DemoWorkload.RunAsync(new BenchArgs(args[1..]));
                case "payload-store":
                    return PayloadStoreWorkload.Run(args[1..]);
                case "payload-index":
                    return await PayloadIndexWorkload.RunAsync(new BenchArgs(args[1..]));
                default:
                    Console.Error.WriteLine($"unknown command `{args[0]}`\n{Usage}");
                    return 2;
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{e.Message}\n{Usage}");
            return 2;
        }
    }
}
