namespace Grape.Core.Indexing.Hnsw;

internal sealed unsafe partial class HnswGraph
{
    /// <summary>The per-value payload links (<c>payload_m</c>) followed by filtered searches, or null when none were built.</summary>
    public HnswPayloadLinks? PayloadLinks { get; internal set; }

    /// <summary>A graph without main links (<c>m: 0</c>): only its payload links, if any, connect nodes.</summary>
    internal static HnswGraph Empty(int nodeCount) => Allocate(0, new byte[nodeCount]);
}
