using System.Runtime.InteropServices;
using Grape.Core.Collections;
using Grape.Core.Distances;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Primitives;

namespace Grape.Core.Tests.Indexing.Hnsw;

/// <summary>
/// Seeded clustered multivectors (ColBERT-like: each point draws its rows around a few centres of one topic) in native
/// memory laid out as an immutable segment's multivector column, and a brute-force max_sim reference through
/// <see cref="MaxSimKernel"/>.
/// </summary>
internal sealed unsafe class MultiVectorTestData : IDisposable
{
    private byte* _data;

    public MultiVectorTestData(int count, int dim, Distance distance, int seed, int minRows = 4, int maxRows = 16, int queryCount = 50)
    {
        Dim = dim;
        Distance = distance;
        var rnd = new Random(seed);
        int topics = Math.Max(1, count / 60);
        var centres = new float[topics][][];
        for (int t = 0; t < topics; t++)
        {
            centres[t] = new float[6][];
            for (int c = 0; c < 6; c++) centres[t][c] = Enumerable.Range(0, dim).Select(_ => (float)(rnd.NextDouble() * 2 - 1)).ToArray();
        }
        float[] Draw(int rows)
        {
            var topic = centres[rnd.Next(topics)];
            var flat = new float[rows * dim];
            for (int r = 0; r < rows; r++)
            {
                var centre = topic[rnd.Next(topic.Length)];
                for (int j = 0; j < dim; j++) flat[(r * dim) + j] = centre[j] + (float)((rnd.NextDouble() - 0.5) * 0.8);
            }
            MaxSimKernel.Preprocess(distance, flat, dim);
            return flat;
        }
        Points = Enumerable.Range(0, count).Select(_ => Draw(rnd.Next(minRows, maxRows + 1))).ToArray();
        Queries = Enumerable.Range(0, queryCount).Select(_ => Draw(rnd.Next(2, 9))).ToArray();
        long bytes = Points.Sum(p => (long)p.Length * sizeof(float));
        _data = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, bytes), 64);
        var starts = new nint[count];
        var rowCounts = new int[count];
        long at = 0;
        for (int i = 0; i < count; i++)
        {
            starts[i] = (nint)(_data + at);
            rowCounts[i] = Points[i].Length / dim;
            Points[i].CopyTo(new Span<float>(_data + at, Points[i].Length));
            at += (long)Points[i].Length * sizeof(float);
        }
        Vectors = new MultiVectorBlock(starts, rowCounts, dim, sizeof(float));
    }

    public int Dim { get; }
    public Distance Distance { get; }
    public float[][] Points { get; }
    public float[][] Queries { get; }
    public MultiVectorBlock Vectors { get; }
    public int Count => Points.Length;

    public uint[] AllNodes() => Enumerable.Range(0, Count).Select(i => (uint)i).ToArray();

    public HnswGraph Build(int m = 16, int efConstruct = 100, int threads = 1) =>
        MultiVectorHnswIndex.Build(Distance, VectorDatatype.Float32, Vectors, AllNodes(), new HnswBuildOptions(m, efConstruct, threads), CancellationToken.None);

    public float Exact(float[] query, uint node) => MaxSimKernel.Similarity(Distance, query, Points[node], Dim);

    /// <summary>The k best nodes <paramref name="live"/> accepts by exact max_sim.</summary>
    public uint[] BruteForce(float[] query, int k, Func<uint, bool>? live = null)
    {
        return GraphRecall.TopSorted(k, (ref TopK top) =>
        {
            for (uint n = 0; n < Count; n++)
            {
                if (live is not null && !live(n)) continue;
                top.Offer(n, Exact(query, n));
            }
        }).Select(s => s.Offset).ToArray();
    }

    public ScoredOffset[] Search<TAccept>(HnswGraph graph, float[] query, int k, int ef, TAccept accept)
        where TAccept : struct, IHnswAcceptor
    {
        return GraphRecall.TopSorted(k, (ref TopK top) =>
        {
            var a = accept;
            MultiVectorHnswIndex.Search(Distance, VectorDatatype.Float32, graph, Vectors, MemoryMarshal.AsBytes(query.AsSpan()), Math.Max(ef, k), ref a, ref top,
            float.NegativeInfinity);
        });
    }

    public double Recall<TAccept>(HnswGraph graph, int k, int ef, TAccept accept, Func<uint, bool>? live = null)
        where TAccept : struct, IHnswAcceptor
        => GraphRecall.Of(Queries, k, q => BruteForce(q, k, live), q => Search(graph, q, k, ef, accept));

    public void Dispose()
    {
        if (_data is not null) NativeMemory.AlignedFree(_data);
        _data = null;
    }
}
