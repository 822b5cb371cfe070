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
}
