using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Query;

/// <summary>
/// The distance matrix of a random sample (Qdrant's <c>SearchMatrixRequest</c>): <see cref="Sample"/> points having
/// the vector (and matching <see cref="Filter"/>), each with its <see cref="Limit"/> nearest among the sample.
/// </summary>
public sealed record SearchMatrixRequest
{
    public Filter? Filter { get; init; }
    public int Sample { get; init; } = 10;
    public int Limit { get; init; } = 3;
    public string Using { get; init; } = PointStruct.DefaultVector;
}

/// <summary>One neighbour in a distance-matrix row.</summary>
public readonly record struct MatrixNeighbour(PointId Id, float Score);

/// <summary>The sampled ids (ascending) and, per sampled point in the same order, its nearest other sampled points best first.</summary>
public sealed record SearchMatrixResult(IReadOnlyList<PointId> Ids, IReadOnlyList<IReadOnlyList<MatrixNeighbour>> Rows);
