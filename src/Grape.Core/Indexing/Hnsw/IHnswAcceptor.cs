namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Which nodes a search may return. A rejected node (deleted, filtered out) is still traversed, so the graph stays
/// connected around it; it only never enters the results. A struct parameter: the JIT specializes the search loop per
/// acceptor, and <see cref="AcceptAll"/> costs nothing.
/// </summary>
internal interface IHnswAcceptor
{
    bool Accept(uint node);
}

/// <summary>Every node is a result.</summary>
internal readonly struct AcceptAll : IHnswAcceptor
{
    public bool Accept(uint node) => true;
}
