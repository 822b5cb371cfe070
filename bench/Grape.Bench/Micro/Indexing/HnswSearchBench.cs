using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Grape.Core.Collections;
using Grape.Core.Distances;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Primitives;

namespace Grape.Bench.Micro.Indexing;

/// <summary>
/// One HNSW search (k = 10) over a seeded clustered set, against an exact scan of the same vectors as the baseline; the
/// memory column shows that a warmed-up search allocates nothing. <c>-- micro --filter '*HnswSearch*'</c>
/// </summary>
[MemoryDiagnoser]
public unsafe class HnswSearchBench
{
    private const int Count = 20_000;
    private const int Dim = 128;

    private float* _vectors;
    private HnswGraph? _graph;
    private float[][] _queries = [];
    private int _next;

    [Params(16, 64)]
    public int Ef { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rnd = new Random(42);
        var centres = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, Dim).Select(_ => rnd.NextSingle() * 2 - 1).ToArray()).ToArray();
        float[] Draw()
        {
            var c = centres[rnd.Next(centres.Length)];
            var v = c.Select(x => x + ((rnd.NextSingle() - 0.5f) * 0.5f)).ToArray();
            Metric.Preprocess(Distance.Cosine, v);
            return v;
        }
        _vectors = (float*)NativeMemory.AlignedAlloc((nuint)Count * Dim * sizeof(float), 64);
        for (int i = 0; i < Count; i++) Draw().CopyTo(new Span<float>(_vectors + ((long)i * Dim), Dim));
        _queries = Enumerable.Range(0, 256).Select(_ => Draw()).ToArray();
        var nodes = Enumerable.Range(0, Count).Select(i => (uint)i).ToArray();
        _graph = HnswIndex.Build(Distance.Cosine, new VectorBlock(_vectors, Dim, Count), nodes, new HnswBuildOptions(16, 100), CancellationToken.None);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _graph?.Dispose();
        NativeMemory.AlignedFree(_vectors);
    }

    [Benchmark(Baseline = true)]
    public uint ExactScan()
    {
        float[] q = _queries[_next++ & 255];
        var block = new VectorBlock(_vectors, Dim, Count);
        var top = new TopK(10);
        for (uint n = 0; n < Count; n++)
        {
            float s = DotSimilarity.Similarity(q, block.Get(n));
            if (s >= top.Threshold) top.Offer(n, s);
        }
        uint first = (uint)top.Count;
        top.Dispose();
        return first;
    }

    [Benchmark]
    public uint Hnsw()
    {
        float[] q = _queries[_next++ & 255];
        var top = new TopK(10);
        var accept = default(AcceptAll);
        HnswIndex.Search(Distance.Cosine, _graph!, new VectorBlock(_vectors, Dim, Count), q, Ef, ref accept, ref top, float.NegativeInfinity);
        uint count = (uint)top.Count;
        top.Dispose();
        return count;
    }
}
