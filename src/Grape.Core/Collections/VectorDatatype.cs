namespace Grape.Core.Collections;

/// <summary>
/// How a dense vector's components are stored (Qdrant's <c>datatype</c> in the vector params). Values arrive as float32
/// and are converted once on write and on query, as Qdrant does: <see cref="Float16"/> rounds to the nearest IEEE half,
/// <see cref="Uint8"/> truncates toward zero and saturates to 0..255 (Rust's <c>as u8</c>). Distances are then computed
/// on the stored type. Fixed at creation.
/// </summary>
public enum VectorDatatype
{
    /// <summary>4 bytes per component (the default).</summary>
    Float32,

    /// <summary>2 bytes per component; half the memory of float32, about 3 significant digits.</summary>
    Float16,

    /// <summary>1 byte per component, integers 0..255. Cosine is not normalized on write: it is computed per pair.</summary>
    Uint8,
}
