using Grape.Core.Collections;
using Grape.Core.Indexing.Hnsw;

namespace Grape.Core.Tests.Indexing.Hnsw;

/// <summary>The max_sim graph over multivectors (<see cref="MultiVectorHnswIndex"/>) against brute-force max_sim.</summary>
public class MultiVectorHnswTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Dot)]
    public void Recall_at_10_against_exact_max_sim(Distance distance)
    {
        using var data = new MultiVectorTestData(3000, 32, distance, seed: 41);
        using HnswGraph graph = data.Build(m: 16, efConstruct: 100, threads: 2);
        foreach (int ef in new[] { 16, 32, 64, 128 })
            output.WriteLine($"{distance} ef={ef} recall@10 {data.Recall(graph, 10, ef, default(AcceptAll)):F4}");
        double recall = data.Recall(graph, 10, 64, default(AcceptAll));
        Assert.True(recall >= 0.95, $"recall@10 at ef 64 {recall:F4}");
    }

    [Fact]
    public void Graph_invariants_hold_and_level_0_reaches_every_node_after_a_concurrent_build()
    {
        using var data = new MultiVectorTestData(2000, 16, Distance.Euclid, seed: 43, queryCount: 20);
        using HnswGraph graph = data.Build(m: 8, efConstruct: 64, threads: 4);
        Assert.Equal(data.Count, graph.LinkedCount);
        Assert.Equal(graph.MaxLevel, graph.LevelOf(graph.EntryPoint));
        for (uint n = 0; n < graph.NodeCount; n++)
        {
            for (int l = 0; l <= graph.LevelOf(n); l++)
            {
                var list = graph.Links(n, l);
                int count = (int)list[0];
                Assert.InRange(count, l == 0 ? 1 : 0, l == 0 ? graph.M0 : graph.M);
                var seen = new HashSet<uint>();
                for (int j = 1; j <= count; j++)
                {
                    Assert.NotEqual(n, list[j]);
                    Assert.True(graph.LevelOf(list[j]) >= l);
                    Assert.True(seen.Add(list[j]), $"duplicate link {n}->{list[j]}");
                }
            }
        }
        Assert.Equal(graph.NodeCount, graph.ReachableOnLevel0());
    }

    [Fact]
    public void Unlinked_slots_and_deleted_nodes_are_never_returned()
    {
        using var data = new MultiVectorTestData(2000, 32, Distance.Cosine, seed: 47, queryCount: 30);
        // Every fifth slot is left out of the graph (a slot without this vector); 30 % of the rest are deleted after.
        uint[] nodes = data.AllNodes().Where(n => n % 5 != 0).ToArray();
        using HnswGraph graph = MultiVectorHnswIndex.Build(Distance.Cosine, VectorDatatype.Float32, data.Vectors, nodes,
            new HnswBuildOptions(16, 100, 2), CancellationToken.None);
        Assert.Equal(nodes.Length, graph.LinkedCount);
        var live = new bool[data.Count];
        foreach (uint n in nodes) live[n] = n % 10 >= 3;
        double recall = data.Recall(graph, 10, 64, new FlagAcceptor(live), n => live[n]);
        Assert.True(recall >= 0.95, $"recall@10 with deletes {recall:F4}");
        foreach (float[] q in data.Queries)
        {
            var hits = data.Search(graph, q, 10, 64, new FlagAcceptor(live));
            Assert.All(hits, h => Assert.True(live[h.Offset]));
            // The walk's max_sim (batched sums) equals the one-pair kernel's up to summation order.
            Assert.All(hits, h => Assert.Equal(data.Exact(q, h.Offset), h.Score, 1e-5f * Math.Max(1f, Math.Abs(h.Score))));
        }
    }

    [Fact]
    public void A_saved_max_sim_graph_opens_with_the_same_results()
    {
        using var dir = new Grape.Core.Tests.TestKit.TempDir();
        using var data = new MultiVectorTestData(1500, 32, Distance.Dot, seed: 53, queryCount: 20);
        string path = Path.Combine(dir.Path, "g.bin");
        using HnswGraph built = data.Build();
        built.Save(path);
        using HnswGraph opened = HnswGraph.Open(path, onDisk: true);
        foreach (float[] q in data.Queries)
            Assert.Equal(data.Search(built, q, 10, 40, default(AcceptAll)), data.Search(opened, q, 10, 40, default(AcceptAll)));
    }
}
