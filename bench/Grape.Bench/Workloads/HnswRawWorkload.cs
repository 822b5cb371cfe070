using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Grape.Core.Collections;
using Grape.Core.Distances;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Primitives;

namespace Grape.Bench.Workloads;

/// <summary>
/// The HNSW graph alone on a TEXMEX data set (no engine around it): build time, then single-threaded QPS and recall@10
/// per ef. For tuning the index's hot path; the engine-level comparison with the peers is the <c>ann</c> command.
/// <c>hnsw-raw --data DIR [--m 16] [--ef-construct 200] [--ef 16,32,64] [--threads 1] [--queries 2000] [--rounds 3] [--seed 100]
/// [--datatype float32|float16|uint8]</c>. float16 rounds the (normalized) vectors to halves; uint8 maps each component
/// affinely from [min, max] of the base set onto 0..255 (the engine itself only truncates, as Qdrant; the mapping keeps
/// the data meaningful for a speed figure), so its recall is against the float ground truth.
/// </summary>
internal static unsafe class HnswRawWorkload
{
    public static int Run(BenchArgs a)
    {
        string dir = a.String("data") ?? throw new ArgumentException("--data DIR is required");
        int m = a.Int("m", 16), efc = a.Int("ef-construct", 200), threads = a.Int("threads", 1);
        int maxQueries = a.Int("queries", 2000), rounds = a.Int("rounds", 3);
        int[] efs = (a.String("ef") ?? "16,32,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        bool hugePages = a.Flag("huge-pages");
        int seed = a.Int("seed", 100);
        string datatypeName = a.String("datatype") ?? "float32";
        VectorDatatype datatype = datatypeName switch
        {
            "float32" => VectorDatatype.Float32,
            "float16" => VectorDatatype.Float16,
            "uint8" => VectorDatatype.Uint8,
            _ => throw new ArgumentException("--datatype is float32, float16 or uint8"),
        };
        string? graphFile = a.String("graph"); // reuse a saved graph (built and saved on the first run)
        a.RejectUnknown();

        Distance distance = dir.Contains("cosine", StringComparison.Ordinal) ? Distance.Cosine : dir.Contains("angular", StringComparison.Ordinal) ? Distance.Cosine : Distance.Euclid;
        var (data, rows, dim) = Texmex.ReadFvecs(Path.Combine(dir, "base.fvecs"));
        var (queries, qn, _) = Texmex.ReadFvecs(Path.Combine(dir, "query.fvecs"), maxQueries);
        var (truth, _, tdim) = Texmex.ReadIvecs(Path.Combine(dir, "groundtruth.ivecs"), maxQueries);
        if (distance == Distance.Cosine)
        {
            for (int r = 0; r < rows; r++) Metric.Preprocess(distance, data.AsSpan(r * dim, dim));
            for (int r = 0; r < qn; r++) Metric.Preprocess(distance, queries.AsSpan(r * dim, dim));
        }

        if (datatype == VectorDatatype.Uint8)
        {
            float min = data.Min(), max = data.Max(), scale = 255f / Math.Max(max - min, 1e-30f);
            for (int i = 0; i < data.Length; i++) data[i] = MathF.Round((data[i] - min) * scale);
            for (int i = 0; i < queries.Length; i++) queries[i] = Math.Clamp(MathF.Round((queries[i] - min) * scale), 0f, 255f);
        }
        int elementBytes = Grape.Core.Storage.Vectors.VectorEncoding.ElementBytes(datatype);
        Grape.Core.Storage.Vectors.VectorEncoding.Round(datatype, data);
        Grape.Core.Storage.Vectors.VectorEncoding.Round(datatype, queries);
        byte[] encodedQueries = Grape.Core.Storage.Vectors.VectorEncoding.Encode(datatype, queries);
        nuint bytes = (nuint)data.Length * (nuint)elementBytes;
        byte* block = (byte*)NativeMemory.AlignedAlloc(bytes, 2 << 20);
        if (hugePages) _ = Madvise(block, bytes, 14);
        Grape.Core.Storage.Vectors.VectorEncoding.Encode(datatype, data, new Span<byte>(block, (int)bytes));
        var vectors = new VectorBlock(block, dim, dim * elementBytes, rows);
        var nodes = new uint[rows];
        for (int i = 0; i < rows; i++) nodes[i] = (uint)i;

        var sw = Stopwatch.StartNew();
        using HnswGraph graph = graphFile is not null && File.Exists(graphFile)
            ? HnswGraph.Open(graphFile, onDisk: false)
            : HnswIndex.Build(distance, datatype, vectors, nodes, new HnswBuildOptions(m, efc, threads, seed), CancellationToken.None);
        double buildS = sw.Elapsed.TotalSeconds;
        if (graphFile is not null && !File.Exists(graphFile)) graph.Save(graphFile);
        Console.WriteLine($"{{\"kind\":\"build\",\"datatype\":\"{datatypeName}\",\"vector_bytes\":{dim * elementBytes},\"rows\":{rows},\"dim\":{dim},\"m\":{m},\"ef_construct\":{efc},\"threads\":{threads},\"build_s\":{buildS:F2},\"max_level\":{graph.MaxLevel},\"reachable0\":{graph.ReachableOnLevel0()}}}");

        foreach (int ef in efs.Prepend(efs[0]))   // the first pass warms the JIT up and is reported too
        {
            double best = 0, recall = 0, p50 = double.MaxValue, cpuUs = double.MaxValue;
            var lat = new double[qn];
            for (int round = 0; round < rounds; round++)
            {
                long hits = 0;
                var accept = default(AcceptAll);
                var top = new TopK(10);
                var sorted = new ScoredOffset[10];
                sw.Restart();
                long cpu0 = ThreadCpu.Nanoseconds();
                for (int q = 0; q < qn; q++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    top.Clear();
                    HnswIndex.Search(distance, datatype, graph, vectors, encodedQueries.AsSpan(q * dim * elementBytes, dim * elementBytes), Math.Max(ef, 10), ref accept, ref top, float.NegativeInfinity);
                    int n = top.CopySortedTo(sorted);
                    lat[q] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                    for (int i = 0; i < n; i++)
                    {
                        for (int t = 0; t < 10; t++)
                        {
                            if (truth[q * tdim + t] == sorted[i].Offset) { hits++; break; }
                        }
                    }
                }
                double qps = qn / sw.Elapsed.TotalSeconds;
                cpuUs = Math.Min(cpuUs, (ThreadCpu.Nanoseconds() - cpu0) / 1e3 / qn);
                top.Dispose();
                best = Math.Max(best, qps);
                Array.Sort(lat);
                p50 = Math.Min(p50, lat[qn / 2]);
                recall = hits / (10.0 * qn);
            }
            string work = "";
            if (datatype == VectorDatatype.Float32)
            {
                var (mean, p50Work, p99Work) = ScoredPerQuery(distance, graph, vectors, queries, qn, dim, Math.Max(ef, 10));
                work = $",\"scored_per_query\":{mean:F1},\"scored_p50\":{p50Work},\"scored_p99\":{p99Work}";
            }
            Console.WriteLine($"{{\"kind\":\"search\",\"datatype\":\"{datatypeName}\",\"ef\":{ef},\"recall\":{recall:F5},\"qps\":{best:F0},\"p50_us\":{p50:F1},\"cpu_us\":{cpuUs:F2},\"queries\":{qn}{work}}}");
        }
        NativeMemory.AlignedFree(block);
        return 0;
    }

    /// <summary>Vectors scored per query at <paramref name="ef"/> (upper levels and level 0): the graph walk's work, a
    /// figure that, unlike time, does not move with the machine's load.</summary>
    private static (double Mean, long P50, long P99) ScoredPerQuery(Distance distance, HnswGraph graph, VectorBlock vectors, float[] queries, int qn, int dim, int ef) =>
        distance == Distance.Euclid
            ? ScoredPerQuery<EuclidSimilarity>(graph, vectors, queries, qn, dim, ef)
            : ScoredPerQuery<DotSimilarity>(graph, vectors, queries, qn, dim, ef);

    private static (double Mean, long P50, long P99) ScoredPerQuery<TSim>(HnswGraph graph, VectorBlock vectors, float[] queries, int qn, int dim, int ef)
        where TSim : struct, IBatchSimilarity
    {
        long scored = 0;
        var top = new TopK(10);
        var perQuery = new long[qn];
        for (int q = 0; q < qn; q++)
        {
            top.Clear();
            var accept = default(AcceptAll);
            var counting = new CountingScorer<Float32Scorer<TSim>>(Float32Scorer<TSim>.Create(vectors, queries.AsSpan(q * dim, dim), 0));
            HnswSearcher<CountingScorer<Float32Scorer<TSim>>>.Search(graph, ref counting, ef, ref accept, ref top, float.NegativeInfinity);
            scored += counting.Scored;
            perQuery[q] = counting.Scored;
        }
        top.Dispose();
        Array.Sort(perQuery);
        return (scored / (double)qn, perQuery[qn / 2], perQuery[qn * 99 / 100]);
    }

    private struct CountingScorer<TInner>(TInner inner) : IHnswScorer
        where TInner : struct, IHnswScorer
    {
        private TInner _inner = inner;
        public long Scored;

        public float Distance(uint node)
        {
            Scored++;
            return _inner.Distance(node);
        }

        public void Distances(ReadOnlySpan<uint> nodes, Span<float> distances)
        {
            Scored += nodes.Length;
            _inner.Distances(nodes, distances);
        }

        public readonly void Prefetch(uint node) => _inner.Prefetch(node);
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* address, nuint length, int advice);
}
