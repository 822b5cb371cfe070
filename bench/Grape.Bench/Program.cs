using Grape.Bench.Ann;
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
          load [--points N] [--dim D] [--concurrency C] [--duration S] [--batch B] [--ingest-points N] [--quick] [--skip-grpc]
                                           the server under REST and gRPC load beside the embedded API (see bench/rest-load.sh)
          ann --data DIR --out FILE.jsonl [--m 16] [--ef-construct 100] [--ef 10,16,...] [--queries N] [--serial-queries 2000]
              [--build-threads 1,2] [--threads T] [--on-disk] [--storage DIR] [--batch 1000] [--index-timeout S]
              [--all-efs-unindexed] [--no-verify] [--reopen] [--keep] [--datatype float16|uint8]   ANN build + ef sweep in the peers' JSON-lines schema (bench/ann-vs-peers.sh)
          ann --self-check                 checks the fvecs/ivecs reader and the recall count
          hnsw-raw --data DIR [--m 16] [--ef-construct 200] [--ef 16,32,64] [--threads 1] [--queries 2000] [--huge-pages] [--graph FILE] [--datatype T]
                                           the HNSW graph alone (no engine): build time, 1-thread QPS and recall@10
          payload-index [--points N] [--dim D] [--repeats R]
                                           filtered count and exact search with and without payload indexes
          query [--points 200000] [--dim 384] [--repeats 300] [--seed 42] [--batch 1000] [--build-threads T] [--storage DIR]
                [--warmup-s 10] [--evict-mb 64]
                                           Query API latency (nearest, RRF/DBSF fusion, formula, recommend, groups) and fusion overheads
          filtered [--points 200000] [--dim 256] [--queries 200] [--repeats 3] [--efs 10,16,...] [--target-recall 0.95] [--clusters 1000]
                                           filtered HNSW search at selectivities 50/10/1/0.1 % and integer ranges: recall@10, p50 vs unfiltered; nested10 count
          multivector [--points 20000] [--dim 128] [--min-rows 8] [--max-rows 24] [--query-rows 16] [--queries 100] [--efs 16,32,64,128]
                      [--m 16] [--ef-construct 100] [--build-threads T] [--repeats 3] [--seed 42]
                                           max_sim HNSW over a multivector column: build time, recall@10 and p50/p99 per ef vs the exact scan
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
                case "load":
                    return await Load.LoadWorkload.RunAsync(new BenchArgs(args[1..]));
                case "ann":
                    return await AnnWorkload.RunAsync(new BenchArgs(args[1..]));
                case "payload-store":
                    return PayloadStoreWorkload.Run(args[1..]);
                case "hnsw-raw":
                    return HnswRawWorkload.Run(new BenchArgs(args[1..]));
                case "payload-index":
                    return await PayloadIndexWorkload.RunAsync(new BenchArgs(args[1..]));
                case "query":
                    return await QueryWorkload.RunAsync(new BenchArgs(args[1..]));
                case "filtered":
                    return await FilteredWorkload.RunAsync(new BenchArgs(args[1..]));
                case "multivector":
                    return await MultiVectorWorkload.RunAsync(new BenchArgs(args[1..]));
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
