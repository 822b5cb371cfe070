using Grape.Core.Primitives;

namespace Grape.Core.Tests.Indexing.Hnsw;

/// <summary>The pieces every graph test data set shares: a top-k filled by a callback, and recall@k of a search against
/// an exact reference over the same queries.</summary>
internal static class GraphRecall
{
    public delegate void Fill(ref TopK top);

    /// <summary>The best <paramref name="k"/> offered by <paramref name="fill"/>, best first.</summary>
    public static ScoredOffset[] TopSorted(int k, Fill fill)
    {
        var top = new TopK(k);
        try
        {
            fill(ref top);
            var sorted = new ScoredOffset[top.Count];
            top.CopySortedTo(sorted);
            return sorted;
        }
        finally
        {
            top.Dispose();
        }
    }

    /// <summary>Mean share of the exact top-k (<paramref name="truth"/>) that <paramref name="found"/> returns.</summary>
    public static double Of(IReadOnlyList<float[]> queries, int k, Func<float[], uint[]> truth, Func<float[], ScoredOffset[]> found)
    {
        long hits = 0;
        foreach (float[] q in queries)
        {
            var expected = truth(q).ToHashSet();
            hits += found(q).Count(r => expected.Contains(r.Offset));
        }
        return hits / (double)(k * queries.Count);
    }
}
