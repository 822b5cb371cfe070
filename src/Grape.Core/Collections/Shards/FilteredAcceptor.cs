using Grape.Core.Filtering.Conditions;
using Grape.Core.Indexing.Hnsw;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

/// <summary>Graph search check for a filter the payload indexes cannot narrow down: live points matching the filter,
/// evaluated on the point's payload.</summary>
internal readonly struct FilteredAcceptor(Segment segment, FilterEvaluator filter, SegmentVectorSpec[] specs) : IHnswAcceptor
{
    public bool Accept(uint node) => !segment.IsDeleted(node) && filter.Matches(new SegmentPoint(segment, node, specs));
}
