using Grape.Core.Filtering.Conditions;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

/// <summary>Graph search check when the payload indexes answer the filter exactly: a bit per slot (the index answer) and
/// the segment's deleted bits, no payload read.</summary>
internal readonly struct BitsetAcceptor(ulong[] bits, Segment segment) : IHnswAcceptor
{
    private readonly bool _anyDeleted = segment.LivePointCount < segment.SlotCount;

    public bool Accept(uint node) => (bits[node >> 6] & (1UL << (int)node)) != 0 && !(_anyDeleted && segment.IsDeleted(node));
}

/// <summary>Graph search check when the indexes hold every match but not only matches: the bit per slot first (most
/// nodes stop there), then the whole filter on the point's payload.</summary>
internal readonly struct BitsetFilteredAcceptor(ulong[] bits, Segment segment, FilterEvaluator filter, SegmentVectorSpec[] specs) : IHnswAcceptor
{
    public bool Accept(uint node) => (bits[node >> 6] & (1UL << (int)node)) != 0 && !segment.IsDeleted(node)
        && filter.Matches(new SegmentPoint(segment, node, specs));
}
