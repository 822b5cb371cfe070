namespace Grape.Core.Storage.Segments;

/// <summary>One dense vector column of a segment. Vectors are stored as given (already normalized for cosine).</summary>
internal sealed record SegmentVectorSpec(string Name, int Dimension, bool OnDisk);
