namespace Grape.Bench.Ann;

/// <summary>recall@k as the peers count it: the mean over queries of |returned top-k ∩ true top-k| / k, by id.</summary>
internal static class Recall
{
    /// <summary>
    /// <paramref name="found"/> holds <paramref name="k"/> ids per query (-1 where fewer came back); <paramref name="truth"/>
    /// holds at least k ids per query, nearest first. A duplicate in <paramref name="found"/> counts once, as in a set.
    /// </summary>
    public static double AtK(ReadOnlySpan<int> found, Matrix<int> truth, int queries, int k)
    {
        if (truth.Cols < k) throw new ArgumentException($"the ground truth has {truth.Cols} ids per query, fewer than k = {k}");
        if (queries > truth.Rows || found.Length < queries * k) throw new ArgumentException("more queries than ground-truth rows or results");
        long hits = 0;
        for (int q = 0; q < queries; q++)
        {
            var f = found.Slice(q * k, k);
            var t = truth.Row(q)[..k];
            for (int j = 0; j < k; j++)
            {
                int id = f[j];
                if (id < 0 || f[..j].Contains(id)) continue; // k is small: linear scans beat a hash set here
                if (t.Contains(id)) hits++;
            }
        }
        return queries == 0 ? 0 : (double)hits / ((long)queries * k);
    }
}
