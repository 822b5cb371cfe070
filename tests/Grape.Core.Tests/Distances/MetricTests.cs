using Grape.Core.Collections;
using Grape.Core.Distances;

namespace Grape.Core.Tests.Distances;

public class MetricTests
{
    private static readonly float[] Query = [1f, 2f, -2f];
    private static readonly float[] Stored = [4f, -2f, -2f]; // difference (3, -4, 0): L2 = 5, L1 = 7; dot = 4 - 4 + 4 = 4

    [Fact]
    public void Similarity_is_higher_is_better_per_distance()
    {
        Assert.Equal(4f, Metric.Similarity(Distance.Dot, Query, Stored));
        Assert.Equal(4f, Metric.Similarity(Distance.Cosine, Query, Stored));
        Assert.Equal(-25f, Metric.Similarity(Distance.Euclid, Query, Stored));
        Assert.Equal(-7f, Metric.Similarity(Distance.Manhattan, Query, Stored));
    }

    [Fact]
    public void Scores_are_what_Qdrant_reports()
    {
        Assert.Equal(4f, Metric.ToScore(Distance.Dot, Metric.Similarity(Distance.Dot, Query, Stored)));
        Assert.Equal(5f, Metric.ToScore(Distance.Euclid, Metric.Similarity(Distance.Euclid, Query, Stored)));
        Assert.Equal(7f, Metric.ToScore(Distance.Manhattan, Metric.Similarity(Distance.Manhattan, Query, Stored)));
        Assert.Equal(-3.5f, Metric.ToScore(Distance.Cosine, -3.5f));
    }

    [Theory]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void A_zero_distance_reports_positive_zero(Distance distance)
    {
        float similarity = Metric.Similarity(distance, Query, Query);
        float score = Metric.ToScore(distance, similarity);
        Assert.Equal(0f, score);
        Assert.False(float.IsNegative(score)); // "-0" must not reach the JSON
        Assert.False(float.IsNegative(Metric.ToScore(distance, 0f)));
    }

    [Fact]
    public void Similarity_agrees_with_the_similarity_structs()
    {
        Assert.Equal(DotSimilarity.Similarity(Query, Stored), Metric.Similarity(Distance.Dot, Query, Stored));
        Assert.Equal(EuclidSimilarity.Similarity(Query, Stored), Metric.Similarity(Distance.Euclid, Query, Stored));
        Assert.Equal(ManhattanSimilarity.Similarity(Query, Stored), Metric.Similarity(Distance.Manhattan, Query, Stored));
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void Score_to_similarity_and_back_round_trips(Distance distance)
    {
        foreach (float score in new[] { 0f, 0.25f, 1f, 5f, 123.5f })
        {
            float similarity = Metric.ThresholdToSimilarity(distance, score);
            Assert.Equal(score, Metric.ToScore(distance, similarity), 5);
        }
    }

    [Theory]
    [InlineData(Distance.Cosine)]
    [InlineData(Distance.Dot)]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void Threshold_keeps_exactly_the_points_whose_score_passes(Distance distance)
    {
        // Cosine/Dot: a minimum score; Euclid/Manhattan: a maximum distance.
        bool largerIsBetter = distance is Distance.Cosine or Distance.Dot;
        var random = new Random(9);
        for (int trial = 0; trial < 2000; trial++)
        {
            float[] q = [random.NextSingle(), random.NextSingle(), random.NextSingle(), random.NextSingle()];
            float[] s = [random.NextSingle(), random.NextSingle(), random.NextSingle(), random.NextSingle()];
            float threshold = random.NextSingle() * 2f;
            float similarity = Metric.Similarity(distance, q, s);
            float score = Metric.ToScore(distance, similarity);
            if (Math.Abs(score - threshold) < 1e-4f)
            {
                continue; // on the boundary rounding may go either way
            }
            bool kept = similarity >= Metric.ThresholdToSimilarity(distance, threshold);
            Assert.Equal(largerIsBetter ? score >= threshold : score <= threshold, kept);
        }
    }

    [Theory]
    [InlineData(Distance.Euclid)]
    [InlineData(Distance.Manhattan)]
    public void A_negative_maximum_distance_admits_nothing(Distance distance)
    {
        float limit = Metric.ThresholdToSimilarity(distance, -1f);
        Assert.False(Metric.Similarity(distance, Query, Query) >= limit);
    }

    [Fact]
    public void Cosine_preprocessing_normalizes_and_the_others_leave_the_vector_alone()
    {
        float[] v = [3f, 0f, 4f];
        Metric.Preprocess(Distance.Cosine, v);
        Assert.Equal(0.6f, v[0], 6);
        Assert.Equal(0f, v[1]);
        Assert.Equal(0.8f, v[2], 6);
        Assert.Equal(1f, Metric.Similarity(Distance.Cosine, v, v), 6);

        foreach (Distance other in new[] { Distance.Dot, Distance.Euclid, Distance.Manhattan })
        {
            float[] w = [3f, 0f, 4f];
            Metric.Preprocess(other, w);
            Assert.Equal([3f, 0f, 4f], w);
        }

        float[] zero = new float[5];
        Metric.Preprocess(Distance.Cosine, zero);
        Assert.Equal(new float[5], zero);
    }
}
