namespace Grape.Core.Indexing.Payload;

/// <summary>
/// What an index answers for one condition: slot offsets as parts (posting lists or slices of a sorted column),
/// possibly overlapping and unsorted across parts, with deleted slots still in. <see cref="Entries"/> bounds the
/// number of distinct points from above.
/// </summary>
internal sealed class IndexHits
{
    public List<ArraySegment<uint>> Parts { get; } = [];

    /// <summary>Sum of the parts' lengths.</summary>
    public long Entries { get; private set; }

    /// <summary>Each part is ascending (posting lists); slices of a value-sorted column are not.</summary>
    public bool PartsSorted { get; init; } = true;

    /// <summary>
    /// The live offsets among these are exactly the points the condition holds for (the index reads values the way
    /// the evaluator does), so a filter made of this one condition needs no payload check.
    /// </summary>
    public bool Exact { get; init; }

    /// <summary>The most values one point has in this index, to bound the points from below.</summary>
    public int MaxValuesPerPoint { get; init; } = 1;

    public void Add(ArraySegment<uint> part)
    {
        if (part.Count == 0) return;
        Parts.Add(part);
        Entries += part.Count;
    }
}
