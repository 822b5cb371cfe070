using Grape.Core.Collections;

namespace Grape.Core.Storage.Segments;

/// <summary>One vector column of a segment. Vectors are stored as given (already normalized for cosine and rounded to
/// <paramref name="Datatype"/>), each component in <paramref name="Datatype"/>'s size. A <paramref name="Multi"/> column
/// holds a multivector per slot: one or more sub-vectors of <paramref name="Dimension"/>.</summary>
internal sealed record SegmentVectorSpec(string Name, int Dimension, bool OnDisk, bool Multi = false, VectorDatatype Datatype = VectorDatatype.Float32)
{
    /// <summary>Bytes of one component.</summary>
    public int ElementBytes => Vectors.VectorEncoding.ElementBytes(Datatype);
}
