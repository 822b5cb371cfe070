namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// How <see cref="HnswBuilder{TSpace}"/> scores its nodes against each other: the seam between the build loop and the
/// shape of the vectors. <see cref="VectorBlockSpace{TSim}"/> is a fixed-stride column (a node's vector at
/// <c>base + node × stride</c>); <see cref="MultiVectorSpace{TSim}"/> is a multivector column scored with max_sim. A
/// struct type parameter held in a field of the builder: the JIT specializes the build per space and inlines these
/// calls, nothing is virtual per candidate.
/// <para>
/// A node being inserted is the query of its searches; <see cref="QueryOf"/> turns it into a handle once per insertion
/// (the vector's address for a fixed-stride column, so the dense build computes exactly what it did before the seam).
/// Similarities are higher-is-better and need not be symmetric (max_sim is not): the first argument is the query.
/// </para>
/// </summary>
internal unsafe interface IHnswBuildSpace
{
    /// <summary>Whether the similarity of a to b always equals that of b to a (then a link's distance, known from one
    /// side, serves the other: the builder's back links reuse it).</summary>
    static abstract bool Symmetric { get; }

    /// <summary>Nodes (positions) of the space; node ids are 0..Count-1.</summary>
    int Count { get; }

    /// <summary>The handle under which <paramref name="node"/> is scored as a query.</summary>
    nint QueryOf(uint node);

    /// <summary>The similarity of the query <paramref name="query"/> (a <see cref="QueryOf"/> handle) to one node.</summary>
    float Similarity(nint query, uint node);

    /// <summary>The similarities of the query to several nodes (a gathered neighbourhood), in order.</summary>
    void Similarities(nint query, ReadOnlySpan<uint> nodes, Span<float> result);

    /// <summary>Asks for the start of a node's vector ahead of scoring it (a hint).</summary>
    void Prefetch(uint node);
}
