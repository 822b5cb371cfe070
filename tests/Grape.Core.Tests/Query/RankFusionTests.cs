using Grape.Core.Points;
using Grape.Core.Query;

namespace Grape.Core.Tests.Query;

public class RankFusionTests
{
    private static List<Candidate> List(params (ulong Id, float Score)[] items) =>
        items.Select(i => new Candidate(PointId.FromNumber(i.Id), i.Score, null!, 0, 0)).ToList();

    [Fact]
    public void Rrf_with_default_k_gives_one_over_rank_plus_two()
    {
        // A = [1, 2, 3], B = [3, 1]: 1 → 1/2 + 1/3, 3 → 1/4 + 1/2, 2 → 1/3.
        var fused = RankFusion.Rrf([List((1, 9), (2, 8), (3, 7)), List((3, 0.1f), (1, 0.05f))], RankFusion.DefaultRrfK, null);
        Assert.Equal(new ulong[] { 1, 3, 2 }, fused.Select(c => c.Id.Number));
        Assert.Equal(5f / 6f, fused[0].Score, 1e-6f);
        Assert.Equal(0.75f, fused[1].Score, 1e-6f);
        Assert.Equal(1f / 3f, fused[2].Score, 1e-6f);
    }

    [Fact]
    public void Rrf_weights_stretch_ranks_and_a_zero_weight_adds_nothing()
    {
        // weight 3: ranks 0,1,2 count as 1/3, 2/3, 1 → 1/(1/3 + 1), 1/(2/3 + 1), 1/(1 + 1).
        var fused = RankFusion.Rrf([List((1, 0), (2, 0), (3, 0)), List((4, 0))], 2, [3f, 0f]);
        Assert.Equal(new ulong[] { 1, 2, 3, 4 }, fused.Select(c => c.Id.Number));
        Assert.Equal(0.75f, fused[0].Score, 1e-6f);
        Assert.Equal(0.6f, fused[1].Score, 1e-6f);
        Assert.Equal(0.5f, fused[2].Score, 1e-6f);
        Assert.Equal(0f, fused[3].Score);
    }

    [Fact]
    public void Dbsf_normalises_each_list_by_mean_plus_minus_three_sigma()
    {
        // A: mean 0.5, sample σ 0.4 → bounds [−0.7, 1.7]: 0.9 → 2/3, 0.5 → 1/2, 0.1 → 1/3.
        // B: 10 and 0 → mean 5, σ √50 → id 3: (10 + 5 − 3√50... ) = 0.5 + 5/(6√50), id 4: 0.5 − 5/(6√50).
        var fused = RankFusion.Dbsf([List((1, 0.9f), (2, 0.5f), (3, 0.1f)), List((3, 10), (4, 0))]);
        double b = 5 / (6 * Math.Sqrt(50));
        Assert.Equal(new ulong[] { 3, 1, 2, 4 }, fused.Select(c => c.Id.Number));
        Assert.Equal(1 / 3.0 + 0.5 + b, fused[0].Score, 1e-5);
        Assert.Equal(2 / 3.0, fused[1].Score, 1e-5);
        Assert.Equal(0.5, fused[2].Score, 1e-5);
        Assert.Equal(0.5 - b, fused[3].Score, 1e-5);
    }

    [Fact]
    public void Dbsf_gives_a_single_point_or_equal_scores_one_half()
    {
        var fused = RankFusion.Dbsf([List((1, 42)), List((2, 3), (3, 3))]);
        Assert.All(fused, c => Assert.Equal(0.5f, c.Score));
    }
}
