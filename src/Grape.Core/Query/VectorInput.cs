using Grape.Core.Points;

namespace Grape.Core.Query;

/// <summary>
/// A vector given to a query (Qdrant's <c>VectorInput</c>): the dense values themselves, or the id of a point whose
/// stored vector is used (read from the query's collection, or from <c>lookup_from</c>).
/// </summary>
public sealed record VectorInput
{
    private VectorInput(float[]? dense, PointId? id) { Dense = dense; Id = id; }

    public static VectorInput FromDense(float[] values) => new(values ?? throw new ArgumentNullException(nameof(values)), null);
    public static VectorInput FromId(PointId id) => new(null, id);

    public static implicit operator VectorInput(float[] values) => FromDense(values);
    public static implicit operator VectorInput(PointId id) => FromId(id);

    /// <summary>The values, when the input is a vector.</summary>
    public float[]? Dense { get; }
    /// <summary>The point whose vector is meant, when the input is an id.</summary>
    public PointId? Id { get; }
}
