namespace Grape.Core.Points;

/// <summary>
/// One vector value of a point: a dense float32 vector, or a multivector (one or more sub-vectors of the same size,
/// for a vector configured with <c>multivector_config</c>). Sparse vectors join this type when their issue lands, so
/// the public shape of <see cref="PointStruct"/> does not change.
/// </summary>
public sealed class Vector
{
    private Vector(float[] values, int count, bool handedOver = false)
    {
        Dense = values;
        VectorCount = count;
        HandedOver = handedOver;
    }

    /// <summary>Made by <see cref="FromDenseHandedOver"/>: the engine may change <see cref="Dense"/> in place.</summary>
    internal bool HandedOver { get; }

    /// <summary>The dense components; for a multivector, every sub-vector one after the other (row-major).</summary>
    public float[] Dense { get; }

    /// <summary>True for a multivector.</summary>
    public bool IsMulti => VectorCount > 0;

    /// <summary>The number of sub-vectors of a multivector; 0 for a dense vector.</summary>
    public int VectorCount { get; }

    /// <summary>The sub-vectors of a multivector as rows (copies); null for a dense vector.</summary>
    public float[][]? MultiDense
    {
        get
        {
            if (!IsMulti) return null;
            int dim = Dense.Length / VectorCount;
            var rows = new float[VectorCount][];
            for (int i = 0; i < rows.Length; i++) rows[i] = Dense.AsSpan(i * dim, dim).ToArray();
            return rows;
        }
    }

    public static Vector FromDense(float[] values) => new(values ?? throw new ArgumentNullException(nameof(values)), 0);

    /// <summary>
    /// A dense vector whose array the caller hands over to the engine: a write may change it in place (normalize it
    /// for a cosine vector, instead of normalizing a copy), so the caller must not read or reuse it afterwards. For
    /// arrays made only to be written, such as a server's parse of a request; <see cref="FromDense"/> never changes
    /// the caller's array.
    /// </summary>
    public static Vector FromDenseHandedOver(float[] values) => new(values ?? throw new ArgumentNullException(nameof(values)), 0, handedOver: true);

    /// <summary>A multivector from its sub-vectors. They must all have the same length (checked here) and be at least
    /// one; their size against the collection is checked on write.</summary>
    /// <exception cref="Errors.BadRequestException">No rows, an empty row or rows of different lengths.</exception>
    public static Vector FromMulti(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new Errors.BadRequestException("Validation error in vector: multi vector must not be empty");
        int dim = rows[0]?.Length ?? 0;
        if (dim == 0) throw new Errors.BadRequestException("Validation error in vector: all vectors must be non-empty");
        var flat = new float[checked(rows.Count * dim)];
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i] ?? throw new Errors.BadRequestException("Validation error in vector: all vectors must be non-empty");
            if (row.Length != dim)
                throw new Errors.BadRequestException($"Validation error in vector: all vectors must have the same dimension, found vector with dimension {row.Length}");
            row.CopyTo(flat, i * dim);
        }
        return new Vector(flat, rows.Count);
    }

    /// <summary>A multivector from <paramref name="count"/> sub-vectors flattened row-major into <paramref name="values"/>
    /// (kept, not copied).</summary>
    /// <exception cref="Errors.BadRequestException">No values, or a length not divisible by the count.</exception>
    public static Vector FromMultiFlat(float[] values, int count)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (count <= 0 || values.Length == 0)
            throw new Errors.BadRequestException($"Validation error in vector: Empty multi-vector data with vectors count: {count}");
        if (values.Length % count != 0)
            throw new Errors.BadRequestException($"Validation error in vector: Data length is not divisible by vectors count. Data length: {values.Length}, vectors count: {count}");
        return new Vector(values, count);
    }

    public static implicit operator Vector(float[] values) => FromDense(values);
}
