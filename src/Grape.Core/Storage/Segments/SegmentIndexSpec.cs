namespace Grape.Core.Storage.Segments;

/// <summary>
/// The HNSW graph a segment holds for one vector column (file <c>hnsw/&lt;column&gt;.bin</c>), as recorded in the
/// manifest: the parameters it was built with (a config change to other values rebuilds it) and whether its level 0 is
/// read through the file mapping. With <see cref="PayloadM"/> &gt; 0 the graph also has per-value payload links
/// (<c>hnsw/&lt;column&gt;.payload.bin</c>) for the indexes in <see cref="PayloadFields"/>; a change of those fields
/// rebuilds it at the next optimization.
/// </summary>
internal sealed record SegmentIndexSpec(int M, int EfConstruct, bool OnDisk)
{
    public int PayloadM { get; init; }

    public IReadOnlyList<string> PayloadFields { get; init; } = [];
}
