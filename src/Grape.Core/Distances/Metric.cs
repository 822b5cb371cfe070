using Grape.Core.Collections;

namespace Grape.Core.Distances;

/// <summary>
/// CONTRACT (to implement): how each <see cref="Distance"/> prepares vectors and turns raw kernel values into scores.
/// Internally every search ranks by a similarity where HIGHER IS BETTER: Dot and Cosine use the dot product (cosine
/// vectors are normalized on write and the query is normalized too), Euclid uses minus the squared L2 distance,
/// Manhattan minus the L1 distance. <see cref="ToScore"/> gives the score Qdrant reports (Euclid: the L2 distance,
/// Manhattan: the L1 distance).
/// </summary>
internal static class Metric
{
    /// <summary>Normalizes in place for Cosine (a zero vector stays zero); no-op otherwise.</summary>
    public static void Preprocess(Distance distance, Span<float> vector) => throw new NotImplementedException();

    /// <summary>Similarity (higher is better); lengths must match (checked by the caller).</summary>
    public static float Similarity(Distance distance, ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => throw new NotImplementedException();

    /// <summary>The score Qdrant reports for a similarity.</summary>
    public static float ToScore(Distance distance, float similarity) => throw new NotImplementedException();

    /// <summary>The similarity a user's <c>score_threshold</c> corresponds to (keep points with similarity ≥ it).</summary>
    public static float ThresholdToSimilarity(Distance distance, float scoreThreshold) => throw new NotImplementedException();
}

/// <summary>A similarity function as a static member of a struct, so scan loops specialize per distance (no virtual call per candidate).</summary>
internal interface ISimilarity
{
    static abstract float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored);
}
