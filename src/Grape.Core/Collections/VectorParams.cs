namespace Grape.Core.Collections;

/// <summary>One dense vector of a collection (Qdrant's <c>VectorParams</c>).</summary>
public sealed record VectorParams(int Size, Distance Distance)
{
    /// <summary>Keep the vectors on disk (memory-mapped, paged in on demand) rather than in RAM.</summary>
    public bool? OnDisk { get; init; }
    /// <summary>Per-vector HNSW overrides; null uses the collection's.</summary>
    public HnswConfigDiff? HnswConfig { get; init; }
    /// <summary>Set: each point holds a multivector (one or more sub-vectors of <see cref="Size"/>), searched exactly
    /// with the configured comparator. Fixed at creation.</summary>
    public MultiVectorConfig? MultivectorConfig { get; init; }
    /// <summary>How components are stored; null (not given) is <see cref="VectorDatatype.Float32"/>, reported only when set,
    /// as Qdrant does. Fixed at creation.</summary>
    public VectorDatatype? Datatype { get; init; }

    /// <summary>The datatype the column is stored in.</summary>
    internal VectorDatatype StorageDatatype => Datatype ?? VectorDatatype.Float32;
}
