namespace Grape.Core.Query;

/// <summary>How a recommendation combines its examples (Qdrant's <c>RecommendStrategy</c>).</summary>
public enum RecommendStrategy
{
    /// <summary>Search with one vector: avg(positives) + (avg(positives) − avg(negatives)).</summary>
    AverageVector,
    /// <summary>Score by the best positive similarity, or minus the (sigmoid-scaled) best negative when that is closer.</summary>
    BestScore,
    /// <summary>Score by the sum of positive similarities minus the sum of negative ones.</summary>
    SumScores,
}
