namespace Grape.Core.Distances;

/// <summary>
/// A similarity that can also score four stored vectors against one query in one pass: the query is loaded once per
/// chunk and the four sums are independent chains, so the FMA latency is hidden without the per-call set-up, head and
/// tail of the one-pair kernel. Graph search scores a whole neighbourhood at a time through it.
/// </summary>
internal unsafe interface IBatchSimilarity : ISimilarity
{
    /// <summary>
    /// Writes the similarities of <paramref name="query"/> to the four vectors into <paramref name="result"/>[0..4).
    /// Every pointer addresses <paramref name="dimension"/> floats; the caller checks the dimension once per search.
    /// </summary>
    static abstract void Similarity4(float* query, float* v0, float* v1, float* v2, float* v3, int dimension, float* result);
}
