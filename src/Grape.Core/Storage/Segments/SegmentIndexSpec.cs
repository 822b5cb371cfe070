namespace Grape.Core.Storage.Segments;

/// <summary>
/// The HNSW graph a segment holds for one vector column (file <c>hnsw/&lt;column&gt;.bin</c>), as recorded in the
/// manifest: the parameters it was built with (a config change to other values rebuilds it) and whether its level 0 is
/// read through the file mapping.
/// </summary>
internal sealed record SegmentIndexSpec(int M, int EfConstruct, bool OnDisk);
