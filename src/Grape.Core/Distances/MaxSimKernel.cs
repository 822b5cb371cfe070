using System.Diagnostics;
using System.Runtime.CompilerServices;
using Grape.Core.Collections;

namespace Grape.Core.Distances;

/// <summary>
/// Qdrant's <c>max_sim</c> comparator for multivectors: for each query sub-vector, the best similarity over the stored
/// sub-vectors, summed over the query's sub-vectors. Similarities are the raw ones of <see cref="Metric"/> (higher is
/// better: −squared L2 for Euclid, −L1 for Manhattan); as in Qdrant, the sum is post-processed once into the reported
/// score (<see cref="Metric.ToScore"/>), not each maximum. Both inputs are flattened row-major; no allocation.
/// </summary>
internal static class MaxSimKernel
{
    /// <summary>The max_sim similarity; <paramref name="dim"/> divides both lengths (checked by the caller), both ≥ 1 row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Similarity<TSim>(ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dim)
        where TSim : struct, ISimilarity
    {
        Debug.Assert(dim > 0 && query.Length % dim == 0 && stored.Length % dim == 0);
        float sum = 0f;
        for (int q = 0; q + dim <= query.Length; q += dim)
        {
            ReadOnlySpan<float> row = query.Slice(q, dim);
            float best = float.NegativeInfinity;
            for (int s = 0; s + dim <= stored.Length; s += dim)
            {
                float sim = TSim.Similarity(row, stored.Slice(s, dim));
                if (sim > best) best = sim;
            }
            sum += best;
        }
        return sum;
    }

    /// <summary>The max_sim similarity under <paramref name="distance"/> (one switch per call, for rescoring paths).</summary>
    public static float Similarity(Distance distance, ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dim) => distance switch
    {
        Distance.Cosine or Distance.Dot => Similarity<DotSimilarity>(query, stored, dim),
        Distance.Euclid => Similarity<EuclidSimilarity>(query, stored, dim),
        Distance.Manhattan => Similarity<ManhattanSimilarity>(query, stored, dim),
        _ => throw new ArgumentOutOfRangeException(nameof(distance), distance, null),
    };

    /// <summary>max_sim for a column of <paramref name="datatype"/> (uint8 Cosine is computed per pair).</summary>
    public static float Similarity(Distance distance, VectorDatatype datatype, ReadOnlySpan<float> query, ReadOnlySpan<float> stored, int dim) =>
        distance == Distance.Cosine && datatype == VectorDatatype.Uint8
            ? Similarity<CosineSimilarity>(query, stored, dim)
            : Similarity(distance, query, stored, dim);

    /// <summary>Each sub-vector prepared as <see cref="Metric.Preprocess(Distance, VectorDatatype, Span{float})"/>.</summary>
    public static void Preprocess(Distance distance, VectorDatatype datatype, Span<float> flat, int dim)
    {
        if (datatype != VectorDatatype.Uint8) Preprocess(distance, flat, dim);
        Storage.Vectors.VectorEncoding.Round(datatype, flat);
    }

    /// <summary>Normalizes each sub-vector in place for Cosine; no-op otherwise.</summary>
    public static void Preprocess(Distance distance, Span<float> flat, int dim)
    {
        if (distance != Distance.Cosine) return;
        for (int i = 0; i + dim <= flat.Length; i += dim) VectorMath.Normalize(flat.Slice(i, dim));
    }
}
