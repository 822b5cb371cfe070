using FsCheck.Xunit;
using Grape.Core.Primitives;

namespace Grape.Core.Tests.Primitives;

public class TopKTests
{
    /// <summary>The naive reference: sort everything best-first (score descending, then offset ascending), take k.</summary>
    private static ScoredOffset[] SortAndTake(IEnumerable<ScoredOffset> items, int k) =>
        items.Where(x => !float.IsNaN(x.Score))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Offset)
            .Take(k).ToArray();

    private static ScoredOffset[] Run(IReadOnlyList<ScoredOffset> items, int k)
    {
        var top = new TopK(k);
        try
        {
            foreach (ScoredOffset item in items)
            {
                top.Offer(item.Offset, item.Score);
            }
            var result = new ScoredOffset[top.Count];
            int written = top.CopySortedTo(result);
            Assert.Equal(result.Length, written);
            return result;
        }
        finally
        {
            top.Dispose();
        }
    }

    [Property(MaxTest = 500)]
    public bool Keeps_what_sorting_keeps(uint[] offsets, sbyte[] scores, byte k)
    {
        // Scores from a small range (sbyte / 8) make ties common, which exercises the offset tie-break.
        int n = Math.Min(offsets.Length, scores.Length);
        var items = new ScoredOffset[n];
        for (int i = 0; i < n; i++)
        {
            items[i] = new ScoredOffset(offsets[i], scores[i] / 8f);
        }
        int limit = k % 40;
        return Run(items, limit).SequenceEqual(SortAndTake(items, limit));
    }

    [Property(MaxTest = 200)]
    public bool Result_does_not_depend_on_the_order_of_offers(sbyte[] scores, int seed, byte k)
    {
        var items = new ScoredOffset[scores.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            items[i] = new ScoredOffset((uint)i, scores[i] % 4);
        }
        ScoredOffset[] shuffled = (ScoredOffset[])items.Clone();
        new Random(seed).Shuffle(shuffled);
        int limit = 1 + (k % 20);
        return Run(items, limit).SequenceEqual(Run(shuffled, limit));
    }

    [Fact]
    public void Threshold_is_minus_infinity_until_full_then_the_weakest_kept_score()
    {
        var top = new TopK(3);
        try
        {
            top.Offer(1, 5f);
            top.Offer(2, 1f);
            Assert.Equal(float.NegativeInfinity, top.Threshold);
            top.Offer(3, 3f);
            Assert.Equal(1f, top.Threshold);
            top.Offer(4, 4f);
            Assert.Equal(3f, top.Threshold);
            top.Offer(5, 0.5f); // too weak
            Assert.Equal(3, top.Count);
            Span<ScoredOffset> sorted = stackalloc ScoredOffset[3];
            top.CopySortedTo(sorted);
            Assert.Equal([new(1, 5f), new(4, 4f), new(3, 3f)], sorted.ToArray());
        }
        finally
        {
            top.Dispose();
        }
    }

    [Fact]
    public void Equal_scores_keep_the_lower_offset()
    {
        var top = new TopK(2);
        try
        {
            top.Offer(9, 1f);
            top.Offer(7, 1f);
            top.Offer(8, 1f); // lower than 9: replaces it
            top.Offer(10, 1f); // higher than both kept: rejected
            Span<ScoredOffset> sorted = stackalloc ScoredOffset[2];
            top.CopySortedTo(sorted);
            Assert.Equal([new(7, 1f), new(8, 1f)], sorted.ToArray());
        }
        finally
        {
            top.Dispose();
        }
    }

    [Fact]
    public void NaN_scores_are_never_kept_and_k_zero_keeps_nothing()
    {
        Assert.Equal([new ScoredOffset(2, 0f)], Run([new(1, float.NaN), new(2, 0f)], 1));
        Assert.Equal([new ScoredOffset(2, -1f), new ScoredOffset(3, -2f)], Run([new(2, -1f), new(1, float.NaN), new(3, -2f)], 2));
        Assert.Empty(Run([new(1, 1f), new(2, 2f)], 0));

        var none = new TopK(0);
        Assert.Equal(float.PositiveInfinity, none.Threshold);
        none.Dispose();
    }

    [Fact]
    public void Copying_out_leaves_the_heap_usable()
    {
        var top = new TopK(2);
        try
        {
            top.Offer(1, 1f);
            top.Offer(2, 2f);
            var first = new ScoredOffset[2];
            top.CopySortedTo(first);
            top.Offer(3, 3f);
            var second = new ScoredOffset[2];
            top.CopySortedTo(second);
            Assert.Equal([new(3, 3f), new(2, 2f)], second);
            Assert.Throws<ArgumentOutOfRangeException>(() => top.CopySortedTo(new ScoredOffset[1]));
        }
        finally
        {
            top.Dispose();
        }
    }
}
