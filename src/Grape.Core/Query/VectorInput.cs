using Grape.Core.Points;

namespace Grape.Core.Query;

/// <summary>
/// A vector given to a query (Qdrant's <c>VectorInput</c>): the dense values themselves, a multivector, or the id of
/// a point whose stored vector is used (read from the query's collection, or from <c>lookup_from</c>).
/// </summary>
public sealed record VectorInput
{
    private VectorInput(float[]? dense, PointId? id, int multiCount = 0) { Dense = dense; Id = id; MultiCount = multiCount; }

    public static VectorInput FromDense(float[] values) => new(values ?? throw new ArgumentNullException(nameof(values)), null);
    public static VectorInput FromId(PointId id) => new(null, id);

    /// <summary>A multivector (for a vector with <c>multivector_config</c>).</summary>
    /// <exception cref="Errors.BadRequestException">No rows, an empty row or rows of different lengths.</exception>
    public static VectorInput FromMulti(IReadOnlyList<float[]> rows)
    {
        var v = Vector.FromMulti(rows);
        return new(v.Dense, null, v.VectorCount);
    }

    public static implicit operator VectorInput(float[] values) => FromDense(values);
    public static implicit operator VectorInput(PointId id) => FromId(id);

    /// <summary>The values, when the input is a vector; for a multivector every sub-vector flattened row-major.</summary>
    public float[]? Dense { get; }
    /// <summary>The point whose vector is meant, when the input is an id.</summary>
    public PointId? Id { get; }
    /// <summary>The number of sub-vectors when the input is a multivector; 0 otherwise.</summary>
    public int MultiCount { get; }
    /// <summary>True when the input is a multivector.</summary>
    public bool IsMulti => MultiCount > 0;
}
