using System.Runtime.InteropServices;
using Grape.Core.Collections;
using Grape.Core.Distances;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Primitives;

namespace Grape.Core.Tests.Indexing.Hnsw;

/// <summary>Seeded clustered vectors in native memory (the layout of an immutable segment column) and a brute-force
/// reference through the same kernels.</summary>
internal sealed unsafe class HnswTestData : IDisposable
{
    private float* _block;

    /// <param name="twins">Every odd point is a near-duplicate of the point before it (a 1e-4 nudge).</param>
    public HnswTestData(int count, int dim, Distance distance, int seed, int queryCount = 100, bool twins = false)
    {
        Count = count;
        Dim = dim;
        Distance = distance;
        var rnd = new Random(seed);
        int clusters = Math.Max(1, count / 100);
        var centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) centres[c] = Enumerable.Range(0, dim).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray();
        float[] Draw()
        {
            var centre = centres[rnd.Next(clusters)];
            var v = new float[dim];
            for (int j = 0; j < dim; j++) v[j] = centre[j] + (float)((rnd.NextDouble() - 0.5) * 0.6);
            Metric.Preprocess(distance, v);
            return v;
        }
        _block = (float*)NativeMemory.AlignedAlloc((nuint)(count * dim * sizeof(float)), 64);
        float[] previous = [];
        for (int i = 0; i < count; i++)
        {
            float[] v = Draw();
            if (twins && (i & 1) == 1)
            {
                for (int j = 0; j < dim; j++) v[j] = previous[j] + (float)((rnd.NextDouble() - 0.5) * 2e-4);
                Metric.Preprocess(distance, v);
            }
            v.CopyTo(new Span<float>(_block + (i * dim), dim));
            previous = v;
        }
        Queries = Enumerable.Range(0, queryCount).Select(_ => Draw()).ToArray();
    }

    public int Count { get; }
    public int Dim { get; }
    public Distance Distance { get; }
    public float[][] Queries { get; }
    public VectorBlock Vectors => new(_block, Dim, Count);

    public uint[] AllNodes() => Enumerable.Range(0, Count).Select(i => (uint)i).ToArray();

    public HnswGraph Build(int m = 16, int efConstruct = 100, int threads = 1) =>
        HnswIndex.Build(Distance, Vectors, AllNodes(), new HnswBuildOptions(m, efConstruct, threads), CancellationToken.None);

    /// <summary>The k nearest of the nodes <paramref name="live"/> accepts, by exact scan.</summary>
    public uint[] BruteForce(float[] query, int k, Func<uint, bool>? live = null)
    {
        return GraphRecall.TopSorted(k, (ref TopK top) =>
        {
            for (uint n = 0; n < Count; n++)
            {
                if (live is not null && !live(n)) continue;
                top.Offer(n, Metric.Similarity(Distance, query, Vectors.Get(n)));
            }
        }).Select(s => s.Offset).ToArray();
    }

    public ScoredOffset[] Search<TAccept>(HnswGraph graph, float[] query, int k, int ef, TAccept accept)
        where TAccept : struct, IHnswAcceptor
    {
        return GraphRecall.TopSorted(k, (ref TopK top) =>
        {
            var a = accept;
            HnswIndex.Search(Distance, graph, Vectors, query, Math.Max(ef, k), ref a, ref top, float.NegativeInfinity);
        });
    }

    public double Recall<TAccept>(HnswGraph graph, int k, int ef, TAccept accept, Func<uint, bool>? live = null)
        where TAccept : struct, IHnswAcceptor
        => GraphRecall.Of(Queries, k, q => BruteForce(q, k, live), q => Search(graph, q, k, ef, accept));

    public void Dispose()
    {
        if (_block is not null) NativeMemory.AlignedFree(_block);
        _block = null;
    }
}

/// <summary>Accepts the nodes whose flag is set (a test's deletes).</summary>
internal readonly struct FlagAcceptor(bool[] live) : IHnswAcceptor
{
    public bool Accept(uint node) => live[node];
}
