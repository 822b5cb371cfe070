using Grape.Core.Filtering.Conditions;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

/// <summary>A slot of a segment seen through the filter's eyes; a ref struct, so checking a candidate allocates nothing.</summary>
internal readonly ref struct SegmentPoint(Segment segment, uint offset, SegmentVectorSpec[] specs) : IFilterablePoint
{
    public PointId Id => segment.GetId(offset);
    public ReadOnlySpan<byte> PayloadJson => segment.GetPayload(offset);

    public bool HasVector(string name)
    {
        for (int i = 0; i < specs.Length; i++)
            if (specs[i].Name == name) return segment.HasVector(offset, i);
        return false;
    }
}
