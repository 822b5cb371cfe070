using Grape.Core.Collections;

namespace Grape.Core.Distances;

/// <summary>
/// How each <see cref="Distance"/> prepares vectors and turns raw kernel values into scores.
/// Internally every search ranks by a similarity where HIGHER IS BETTER: Dot and Cosine use the dot product (cosine
/// vectors are normalized on write and the query is normalized too), Euclid uses minus the squared L2 distance,
/// Manhattan minus the L1 distance. <see cref="ToScore"/> gives the score Qdrant reports (Euclid: the L2 distance,
/// Manhattan: the L1 distance).
/// </summary>
internal static class Metric
{
    /// <summary>Normalizes in place for Cosine (a zero vector stays zero); no-op otherwise.</summary>
    public static void Preprocess(Distance distance, Span<float> vector)
    {
        if (distance == Distance.Cosine)
        {
            VectorMath.Normalize(vector);
        }
    }

    /// <summary>
    /// Prepares a vector for a column of <paramref name="datatype"/>, as Qdrant does before converting: Cosine normalizes
    /// float32 and float16 vectors (not uint8 ones, whose cosine is computed per pair), then the values are rounded to
    /// the datatype (<see cref="Storage.Vectors.VectorEncoding.Round"/>).
    /// </summary>
    public static void Preprocess(Distance distance, VectorDatatype datatype, Span<float> vector)
    {
        if (datatype != VectorDatatype.Uint8) Preprocess(distance, vector);
        Storage.Vectors.VectorEncoding.Round(datatype, vector);
    }

    /// <summary>Similarity of decoded vectors of a column of <paramref name="datatype"/>: as <see cref="Similarity(Distance, ReadOnlySpan{float}, ReadOnlySpan{float})"/>,
    /// except uint8 Cosine, which is computed per pair (<see cref="CosineSimilarity"/>).</summary>
    public static float Similarity(Distance distance, VectorDatatype datatype, ReadOnlySpan<float> query, ReadOnlySpan<float> stored) =>
        distance == Distance.Cosine && datatype == VectorDatatype.Uint8 ? CosineSimilarity.Similarity(query, stored) : Similarity(distance, query, stored);

    /// <summary>Similarity (higher is better); lengths must match (checked by the caller).</summary>
    /// <remarks>Per-candidate loops should use the <see cref="ISimilarity"/> structs instead of this switch.</remarks>
    public static float Similarity(Distance distance, ReadOnlySpan<float> query, ReadOnlySpan<float> stored) => distance switch
    {
        Distance.Cosine or Distance.Dot => DotSimilarity.Similarity(query, stored),
        Distance.Euclid => EuclidSimilarity.Similarity(query, stored),
        Distance.Manhattan => ManhattanSimilarity.Similarity(query, stored),
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
    };

    /// <summary>The score Qdrant reports for a similarity: Cosine/Dot as is, Euclid √(squared distance), Manhattan the L1 distance.</summary>
    public static float ToScore(Distance distance, float similarity) => distance switch
    {
        Distance.Cosine or Distance.Dot => similarity,
        // Max with +0 so a zero distance reports 0, not −0 (−(+0) is −0 and would print as "-0").
        Distance.Euclid => MathF.Sqrt(MathF.Max(-similarity, 0f)),
        Distance.Manhattan => MathF.Max(-similarity, 0f),
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
    };

    /// <summary>
    /// The similarity a user's <c>score_threshold</c> corresponds to (keep points with similarity ≥ it). For Cosine/Dot
    /// the threshold is a minimum score; for Euclid/Manhattan it is a maximum distance, so a negative one admits nothing
    /// (+∞ is returned) rather than being squared into a positive radius.
    /// </summary>
    public static float ThresholdToSimilarity(Distance distance, float scoreThreshold) => distance switch
    {
        Distance.Cosine or Distance.Dot => scoreThreshold,
        Distance.Euclid => scoreThreshold >= 0f ? -(scoreThreshold * scoreThreshold) : float.PositiveInfinity,
        Distance.Manhattan => scoreThreshold >= 0f ? -scoreThreshold : float.PositiveInfinity,
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
    };
}
