using Grape.Core.Collections;
using Grape.Core.Distances;

namespace Grape.Core.Query;

/// <summary>
/// A vector query with every example resolved and preprocessed (cosine-normalised), scoring stored vectors as Qdrant's
/// query scorers do. <see cref="Rank"/> is the value sorted on, higher is better: the raw similarity for a nearest query
/// (−squared L2 for Euclid, −L1 for Manhattan), the custom score for the others. <see cref="ToScore"/> turns it into the
/// reported score: Qdrant post-processes only nearest scores (a distance for Euclid/Manhattan).
/// </summary>
internal sealed class VectorScorer : Collections.Shards.IVectorRanker
{
    // Qdrant's context-pair margin (f32::EPSILON).
    private const float Margin = 1.1920929e-7f;

    private readonly Kind _kind;
    private readonly float[] _query = [];
    private readonly float[][] _positives = [], _negatives = [];
    private readonly (float[] Positive, float[] Negative)[] _pairs = [];

    private enum Kind { Nearest, BestScore, SumScores, Discover, Context }

    private readonly int _multiDim;   // sub-vector size of a multivector column (vectors flattened row-major); 0 = dense

    private VectorScorer(Distance distance, VectorDatatype datatype, int column, int multiDim, Kind kind)
    {
        Distance = distance;
        Datatype = datatype;
        Column = column;
        _multiDim = multiDim;
        _kind = kind;
    }

    private VectorScorer(Distance distance, VectorDatatype datatype, int column, int multiDim, Kind kind, float[] query, float[][] positives, float[][] negatives, (float[], float[])[] pairs)
        : this(distance, datatype, column, multiDim, kind)
    {
        _query = query;
        _positives = positives;
        _negatives = negatives;
        _pairs = pairs;
    }

    public Distance Distance { get; }

    /// <summary>The column's stored datatype: examples are rounded to it, as the stored vectors are.</summary>
    public VectorDatatype Datatype { get; }
    public int Column { get; }
    public bool IsNearest => _kind == Kind.Nearest;
    /// <summary>The preprocessed query vector of a nearest query.</summary>
    public float[] NearestVector => _query;

    /// <summary>The sub-vector size when the column holds multivectors (every vector here flattened row-major), else 0.</summary>
    public int MultiDimension => _multiDim;

    public static VectorScorer Nearest(Distance d, int column, float[] query, int multiDim = 0, VectorDatatype t = VectorDatatype.Float32) =>
        new(d, t, column, multiDim, Kind.Nearest, Prepared(d, t, query, multiDim), [], [], []);

    public static VectorScorer BestScore(Distance d, int column, float[][] positives, float[][] negatives, int multiDim = 0, VectorDatatype t = VectorDatatype.Float32) =>
        new(d, t, column, multiDim, Kind.BestScore, [], Prepared(d, t, positives, multiDim), Prepared(d, t, negatives, multiDim), []);

    public static VectorScorer SumScores(Distance d, int column, float[][] positives, float[][] negatives, int multiDim = 0, VectorDatatype t = VectorDatatype.Float32) =>
        new(d, t, column, multiDim, Kind.SumScores, [], Prepared(d, t, positives, multiDim), Prepared(d, t, negatives, multiDim), []);

    public static VectorScorer Discover(Distance d, int column, float[] target, (float[] Positive, float[] Negative)[] pairs, int multiDim = 0, VectorDatatype t = VectorDatatype.Float32) =>
        new(d, t, column, multiDim, Kind.Discover, Prepared(d, t, target, multiDim), [], [], Prepared(d, t, pairs, multiDim));

    public static VectorScorer Context(Distance d, int column, (float[] Positive, float[] Negative)[] pairs, int multiDim = 0, VectorDatatype t = VectorDatatype.Float32) =>
        new(d, t, column, multiDim, Kind.Context, [], [], [], Prepared(d, t, pairs, multiDim));

    /// <summary>
    /// Qdrant's average-vector recommendation over multivectors: no averaging, the positives' sub-vectors one after
    /// the other, then the negatives' negated (so max_sim rewards closeness to positives and distance from negatives).
    /// </summary>
    public static float[] ConcatenatedMultiVector(float[][] positives, float[][] negatives)
    {
        long length = 0;
        foreach (var v in positives) length += v.Length;
        foreach (var v in negatives) length += v.Length;
        var result = new float[checked((int)length)];
        int at = 0;
        foreach (var v in positives) { v.CopyTo(result, at); at += v.Length; }
        foreach (var v in negatives)
        {
            for (int i = 0; i < v.Length; i++) result[at + i] = -v[i];
            at += v.Length;
        }
        return result;
    }

    /// <summary>The similarity of two vectors of this column (higher is better): the metric's for dense vectors,
    /// max_sim of <paramref name="query"/> against <paramref name="stored"/> for multivectors.</summary>
    public float Similarity(ReadOnlySpan<float> query, ReadOnlySpan<float> stored) =>
        _multiDim == 0 ? Metric.Similarity(Distance, Datatype, query, stored) : MaxSimKernel.Similarity(Distance, Datatype, query, stored, _multiDim);

    /// <summary>Qdrant's average-vector recommendation: avg(positives), or 2·avg(positives) − avg(negatives) with negatives.</summary>
    public static float[] AverageVector(float[][] positives, float[][] negatives)
    {
        var avg = Average(positives);
        if (negatives.Length == 0) return avg;
        var neg = Average(negatives);
        for (int i = 0; i < avg.Length; i++) avg[i] = avg[i] + avg[i] - neg[i];
        return avg;
    }

    private static float[] Average(float[][] vectors)
    {
        var sum = new float[vectors[0].Length];
        foreach (var v in vectors)
            for (int i = 0; i < sum.Length; i++) sum[i] += v[i];
        for (int i = 0; i < sum.Length; i++) sum[i] /= vectors.Length;
        return sum;
    }

    public float Rank(ReadOnlySpan<float> stored)
    {
        switch (_kind)
        {
            case Kind.Nearest:
                return Similarity(_query, stored);
            case Kind.BestScore:
                {
                    float maxPositive = float.NegativeInfinity, maxNegative = float.NegativeInfinity;
                    foreach (var p in _positives) maxPositive = MathF.Max(maxPositive, Similarity(p, stored));
                    foreach (var n in _negatives) maxNegative = MathF.Max(maxNegative, Similarity(n, stored));
                    return maxPositive > maxNegative ? ScaledFastSigmoid(maxPositive) : -ScaledFastSigmoid(maxNegative);
                }
            case Kind.SumScores:
                {
                    float positive = 0f, negative = 0f;
                    foreach (var p in _positives) positive += Similarity(p, stored);
                    foreach (var n in _negatives) negative += Similarity(n, stored);
                    return positive - negative;
                }
            case Kind.Discover:
                {
                    int rank = 0;
                    foreach (var (p, n) in _pairs)
                        rank += Similarity(p, stored).CompareTo(Similarity(n, stored)) switch { > 0 => 1, < 0 => -1, _ => 0 };
                    return rank + ScaledFastSigmoid(Similarity(_query, stored));
                }
            default:
                {
                    float loss = 0f;
                    foreach (var (p, n) in _pairs)
                    {
                        float difference = Similarity(p, stored) - Similarity(n, stored) - Margin;
                        loss += FastSigmoid(MathF.Min(difference, 0f));
                    }
                    return loss;
                }
        }
    }

    /// <summary>best_score's positives (see <see cref="Collections.Shards.IVectorRanker.Seeds"/>); null for other queries.</summary>
    public IReadOnlyList<float[]>? Seeds => _kind == Kind.BestScore && _positives.Length > 0 ? _positives : null;

    public float ToScore(float rank) => _kind == Kind.Nearest ? Metric.ToScore(Distance, rank) : rank;

    /// <summary>The lowest rank a <c>score_threshold</c> admits (nearest: via the distance; custom scores: the score itself).</summary>
    public float MinRank(float? scoreThreshold) => scoreThreshold is not { } t ? float.NegativeInfinity
        : _kind == Kind.Nearest ? Metric.ThresholdToSimilarity(Distance, t) : t;

    // x / (1 + |x|), in (−1, 1): Qdrant's fast_sigmoid; the scaled form maps into (0, 1).
    internal static float FastSigmoid(float x) => x / (1f + MathF.Abs(x));
    internal static float ScaledFastSigmoid(float x) => 0.5f * (FastSigmoid(x) + 1f);

    private static float[] Prepared(Distance d, VectorDatatype t, float[] v, int multiDim)
    {
        var copy = (float[])v.Clone();
        if (multiDim == 0) Metric.Preprocess(d, t, copy);
        else MaxSimKernel.Preprocess(d, t, copy, multiDim);
        return copy;
    }

    private static float[][] Prepared(Distance d, VectorDatatype t, float[][] vs, int multiDim) => Array.ConvertAll(vs, v => Prepared(d, t, v, multiDim));

    private static (float[], float[])[] Prepared(Distance d, VectorDatatype t, (float[] Positive, float[] Negative)[] pairs, int multiDim) =>
        Array.ConvertAll(pairs, p => (Prepared(d, t, p.Positive, multiDim), Prepared(d, t, p.Negative, multiDim)));
}
