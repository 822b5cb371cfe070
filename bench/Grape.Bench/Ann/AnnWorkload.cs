using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Grape.Bench.Workloads;
using Grape.Core.Embedded;

namespace Grape.Bench.Ann;

/// <summary>
/// <c>ann</c>: Grape on a prepared ANN dataset, measured the way shared/bench/ann/peers.py measures hnswlib, faiss and
/// usearch, through the embedded API (<see cref="GrapeDatabase"/>, no side path into the index). For each build
/// thread count a fresh collection is loaded and indexed (<c>build_s</c>); then, on the last one, every ef of the sweep
/// runs serially (one query per call, one thread) and as a batch (all queries over every core). Records go to
/// <c>--out</c> in the peers' schema, so <c>peers.py --report-only</c> shows Grape next to them.
/// </summary>
internal sealed partial class AnnWorkload
{
    private const string Collection = "ann";
    private const int K = 10;

    private readonly string _dataDir;
    private readonly string _outPath;
    private readonly int _m;
    private readonly int _efConstruct;
    private readonly int[] _efs;
    private readonly int _queries;
    private readonly int _serialQueries;
    private readonly int[] _buildThreads;
    private readonly int _threads;
    private readonly bool _onDisk;
    private readonly int _batchSize;
    private readonly TimeSpan _indexTimeout;
    private readonly bool _allEfsUnindexed;
    private readonly bool _verify;
    private readonly bool _reopen;
    private readonly bool _keep;
    private readonly Grape.Core.Collections.VectorDatatype? _datatype;
    private readonly string _storage;
    private readonly bool _ownStorage;

    private AnnWorkload(BenchArgs args)
    {
        _dataDir = args.String("data") ?? throw new ArgumentException("--data DIR is required (a folder made by shared/bench/ann/prepare.sh)");
        _outPath = args.String("out") ?? throw new ArgumentException("--out FILE.jsonl is required");
        _m = args.Int("m", 16);
        _efConstruct = args.Int("ef-construct", 100);
        _efs = IntList(args.String("ef") ?? "10,16,24,32,48,64,96,128,192,256", "ef");
        _queries = args.Int("queries", 0);
        _serialQueries = args.Int("serial-queries", 2000);
        _threads = args.Int("threads", Environment.ProcessorCount);
        _buildThreads = IntList(args.String("build-threads") ?? $"1,{_threads}", "build-threads").Distinct().ToArray();
        _onDisk = args.Flag("on-disk");
        _batchSize = args.Int("batch", 1000);
        _indexTimeout = TimeSpan.FromSeconds(args.Double("index-timeout", 3600));
        _allEfsUnindexed = args.Flag("all-efs-unindexed");
        _verify = !args.Flag("no-verify");
        _reopen = args.Flag("reopen");
        _keep = args.Flag("keep");
        _datatype = args.String("datatype") switch
        {
            null or "float32" => null,
            "float16" => Grape.Core.Collections.VectorDatatype.Float16,
            "uint8" => Grape.Core.Collections.VectorDatatype.Uint8,
            var other => throw new ArgumentException($"--datatype {other}: float32, float16 or uint8"),
        };
        var storage = args.String("storage");
        _ownStorage = storage is null;
        _storage = storage ?? Path.Combine(Path.GetTempPath(), "grape-ann-" + Guid.NewGuid().ToString("N"));
        args.RejectUnknown();
        if (_m < 2 || _efConstruct < 4 || _threads < 1 || _batchSize < 1 || _serialQueries < 0 || _queries < 0)
            throw new ArgumentException("--m ≥ 2, --ef-construct ≥ 4, --threads ≥ 1, --batch ≥ 1, --queries and --serial-queries ≥ 0");
    }

    private string IndexName => $"grape-M{_m}-efc{_efConstruct}" + (_onDisk ? "-ondisk" : "") + (_datatype is { } dt ? "-" + dt.ToString().ToLowerInvariant() : "");

    public static async Task<int> RunAsync(BenchArgs args)
    {
        if (args.Flag("self-check"))
        {
            args.RejectUnknown();
            AnnSelfCheck.Run();
            AnnResults.Note("self-check passed");
            return 0;
        }
        var w = new AnnWorkload(args);
        AnnSelfCheck.Run(); // the reader and recall must be right before any figure is trusted
        try
        {
            await w.RunAsync();
            return 0;
        }
        finally
        {
            if (w._ownStorage && Directory.Exists(w._storage)) Directory.Delete(w._storage, recursive: true);
        }
    }

    private async Task RunAsync()
    {
        var sw = Stopwatch.StartNew();
        var data = AnnDataset.Load(_dataDir, _queries, _verify);
        AnnResults.Note($"{data.Name}: {data.Base.Rows:N0} × {data.Base.Cols} ({data.Metric}), {data.Queries.Rows:N0} queries, " +
                        $"loaded{(_verify ? " and verified" : "")} in {sw.Elapsed.TotalSeconds:F1} s; storage {_storage}");
        string runId = DateTime.Now.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
        using var results = new AnnResults(_outPath, runId);
        results.Write(RunRecord(data));

        var db = await GrapeDatabase.OpenAsync(new GrapeOptions(_storage));
        try
        {
            bool indexed;
            if (_keep && await db.CollectionExistsAsync(Collection))
            {
                // --keep with --storage: the collection a previous --keep run left is searched again, not rebuilt.
                indexed = (await db.GetCollectionInfoAsync(Collection)).IndexedVectorsCount > 0;
                AnnResults.Note($"searching the kept collection in {_storage} (no build)");
            }
            else
            {
                var build = await BuildAllAsync(db, data);
                if (_reopen) db = await ReopenAsync(db, data, build.Record);
                results.Write(build.Record);
                indexed = build.Indexed;
            }
            await MeasureApiOverheadAsync(db, data, results);
            Search(db, data, indexed, results);
            if (!_keep) await db.DeleteCollectionAsync(Collection);
        }
        finally
        {
            await db.DisposeAsync();
        }
    }

    private JsonObject RunRecord(AnnDataset data) => new()
    {
        ["kind"] = "run",
        ["dataset"] = data.Name,
        ["engine"] = "grape",
        ["host"] = Environment.MachineName,
        ["cpus"] = Environment.ProcessorCount,
        ["cpu"] = CpuModel(),
        ["versions"] = new JsonObject
        {
            ["grape"] = typeof(GrapeDatabase).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
        },
        ["args"] = new JsonObject
        {
            ["data"] = _dataDir,
            ["m"] = _m,
            ["ef_construct"] = _efConstruct,
            ["efs"] = string.Join(',', _efs),
            ["k"] = K,
            ["threads"] = _threads,
            ["build_threads"] = string.Join(',', _buildThreads),
            ["queries"] = _queries,
            ["serial_queries"] = _serialQueries,
            ["on_disk"] = _onDisk,
            ["batch"] = _batchSize,
            ["reopen"] = _reopen,
            ["datatype"] = _datatype?.ToString().ToLowerInvariant() ?? "float32",
        },
    };

    private static int[] IntList(string text, string option)
    {
        try
        {
            var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();
            if (list.Length == 0 || list.Any(v => v < 1)) throw new FormatException();
            return list;
        }
        catch (FormatException)
        {
            throw new ArgumentException($"--{option} takes a comma list of positive integers, not `{text}`");
        }
    }

    private static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal)) return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>Resident set size of this process in MB (VmRSS, which counts mapped file pages that are resident).</summary>
    private static double RssMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) / 1024.0;
        return double.NaN;
    }
}
