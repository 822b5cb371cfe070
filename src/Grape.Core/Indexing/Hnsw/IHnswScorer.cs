namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// How a graph search scores nodes against its query: the seam between the graph loop and the vectors' storage type
/// (float32 today; float16 or uint8 columns bring their own scorer). Distances are minus the similarity, so lower is
/// nearer and the results' scores are <c>−distance</c>. A struct type parameter: the JIT specializes the search per
/// scorer, nothing is virtual per candidate.
/// </summary>
internal interface IHnswScorer
{
    /// <summary>The distance from the query to one node's vector.</summary>
    float Distance(uint node);

    /// <summary>The distances to several nodes (a gathered neighbourhood), in order; at most the graph's M0 nodes.</summary>
    void Distances(ReadOnlySpan<uint> nodes, Span<float> distances);

    /// <summary>Asks the memory system for a node's vector ahead of scoring it (a hint; may do nothing).</summary>
    void Prefetch(uint node);
}
