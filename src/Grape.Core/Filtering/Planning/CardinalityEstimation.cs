using Grape.Core.Indexing.Payload;

namespace Grape.Core.Filtering.Planning;

/// <summary>
/// How many points of a segment a filter (or part of it) may match, as Qdrant's <c>CardinalityEstimation</c>:
/// surely at least <see cref="Min"/>, about <see cref="Exp"/>, at most <see cref="Max"/>. <see cref="Primaries"/>,
/// when set, are index answers whose union holds every matching point, so a reader can visit them instead of every
/// slot; null when some part can only be checked point by point.
/// </summary>
internal sealed record CardinalityEstimation(long Min, long Exp, long Max)
{
    public IReadOnlyList<IndexHits>? Primaries { get; init; }

    /// <summary>The live slots of the single primary are exactly the matches: no payload check needed.</summary>
    public bool Exact { get; init; }

    /// <summary>Upper bound of the candidates the primaries hold (entries, duplicates included).</summary>
    public long PrimaryEntries
    {
        get
        {
            if (Primaries is null) return long.MaxValue;
            long sum = 0;
            foreach (var p in Primaries) sum += p.Entries;
            return sum;
        }
    }

    public static CardinalityEstimation Unknown(long total) => new(0, total / 2, total);

    public static CardinalityEstimation All(long total) => new(total, total, total);
}
