using Grape.Core.Filtering.Conditions;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

/// <summary>Graph search results: live points matching the filter (checked when a point would enter the results;
/// filtered points are still traversed).</summary>
internal readonly struct FilteredAcceptor(Segment segment, FilterEvaluator filter, SegmentVectorSpec[] specs) : IHnswAcceptor
{
    public bool Accept(uint node) => !segment.IsDeleted(node) && filter.Matches(new SegmentPoint(segment, node, specs));
}
