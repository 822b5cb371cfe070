using Grape.Core.Indexing.Hnsw;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

/// <summary>Graph search results: points not deleted in the segment.</summary>
internal readonly struct LiveAcceptor(Segment segment) : IHnswAcceptor
{
    public bool Accept(uint node) => !segment.IsDeleted(node);
}
