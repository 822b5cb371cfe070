namespace Grape.Core.Storage.Segments;

/// <summary>One vector column of a segment. Vectors are stored as given (already normalized for cosine). A
/// <paramref name="Multi"/> column holds a multivector per slot: one or more sub-vectors of <paramref name="Dimension"/>.</summary>
internal sealed record SegmentVectorSpec(string Name, int Dimension, bool OnDisk, bool Multi = false);
