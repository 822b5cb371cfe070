using System.Text.Json.Nodes;

namespace Grape.Core.Query;

/// <summary>
/// What a query (or a prefetch) ranks by: Qdrant's <c>Query</c> variants. Vector forms score points by their stored
/// vectors; <see cref="Fusion"/>, <see cref="Rrf"/> and <see cref="Formula"/> combine the results of prefetches;
/// <see cref="OrderBy"/> and <see cref="Sample"/> order points without scoring them.
/// </summary>
public abstract record ScoringQuery
{
    private ScoringQuery() { }

    /// <summary>Nearest points to a vector; with <see cref="Mmr"/> re-ranked for diversity.</summary>
    public sealed record Nearest(VectorInput Vector) : ScoringQuery
    {
        public Mmr? Mmr { get; init; }
    }

    /// <summary>Points like the positive examples and unlike the negative ones.</summary>
    public sealed record Recommend : ScoringQuery
    {
        public IReadOnlyList<VectorInput> Positive { get; init; } = [];
        public IReadOnlyList<VectorInput> Negative { get; init; } = [];
        public RecommendStrategy Strategy { get; init; } = RecommendStrategy.AverageVector;
    }

    /// <summary>Points near <see cref="Target"/> ranked first by how many context pairs they satisfy.</summary>
    public sealed record Discover(VectorInput Target, IReadOnlyList<ContextPair> Pairs) : ScoringQuery;

    /// <summary>Points scored by how well they sit on the positive side of every pair (0 when all pairs hold).</summary>
    public sealed record Context(IReadOnlyList<ContextPair> Pairs) : ScoringQuery;

    /// <summary>Points ordered by a payload value.</summary>
    public sealed record OrderByQuery(OrderBy OrderBy) : ScoringQuery;

    /// <summary>Fuse the prefetches' results.</summary>
    public sealed record Fusion(FusionKind Kind) : ScoringQuery;

    /// <summary>Reciprocal rank fusion with parameters: <see cref="K"/> (default 2) and one weight per prefetch.</summary>
    public sealed record Rrf : ScoringQuery
    {
        public int? K { get; init; }
        public IReadOnlyList<float>? Weights { get; init; }
    }

    /// <summary>Re-score prefetched points with an expression over their scores and payloads.</summary>
    public sealed record Formula(Expression Expression) : ScoringQuery
    {
        /// <summary>Values used when a variable (<c>"$score[i]"</c> or a payload key) has none for a point.</summary>
        public IReadOnlyDictionary<string, JsonNode?> Defaults { get; init; } = new Dictionary<string, JsonNode?>();
    }

    /// <summary>Random points.</summary>
    public sealed record Sample : ScoringQuery;
}
