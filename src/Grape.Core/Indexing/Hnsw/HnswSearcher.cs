using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Grape.Core.Distances;
using Grape.Core.Primitives;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// k-nearest search over a built graph: greedy descent through the upper levels, then a best-first search of level 0
/// with <c>ef</c> results, stopping when the nearest open candidate is farther than the worst of ef accepted results.
/// <para>
/// The level-0 loop is the hot path. Per expanded node: one list read (count + 2M ids, contiguous); the visited tags of
/// all its neighbours are prefetched, then the unvisited ones are gathered and marked in one pass while the first cache
/// lines of their vectors are prefetched, and only then are distances computed, so the memory fetches of a whole
/// neighbourhood overlap instead of one miss per neighbour. Scratch (heaps, gather buffer, visited tags) is per thread
/// and reused: a warmed-up search allocates nothing.
/// </para>
/// </summary>
internal static unsafe class HnswSearcher
{
    /// <summary>Cache lines of each gathered neighbour's vector asked for ahead of scoring it.</summary>
    internal static readonly int PrefetchLines = int.TryParse(Environment.GetEnvironmentVariable("GRAPE_HNSW_PREFETCH_LINES"), out int l) ? l : 4;

    [ThreadStatic]
    private static NodeDistance[]? t_candidates;

    [ThreadStatic]
    private static NodeDistance[]? t_results;

    [ThreadStatic]
    private static uint[]? t_gather;

    /// <summary>
    /// Offers the (up to) ef nearest accepted nodes to <paramref name="top"/> with their similarity (exactly what
    /// <typeparamref name="TSim"/> returns for the stored vector, so scores equal an exact scan's), skipping those below
    /// <paramref name="minSimilarity"/>. <paramref name="query"/> is in the column's stored form (see
    /// <see cref="IStoredSimilarity"/>). The caller passes ef ≥ k.
    /// </summary>
    public static void Search<TSim, TAccept>(HnswGraph graph, VectorBlock vectors, ReadOnlySpan<byte> query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TSim : struct, IStoredSimilarity
        where TAccept : struct, IHnswAcceptor
    {
        if (graph.MaxLevel < 0 || ef <= 0) return;
        fixed (byte* q = query)
        {
            SearchFrom<TSim, TAccept>(graph, vectors, q, ef, ref accept, ref top, minSimilarity);
        }
    }

    private static void SearchFrom<TSim, TAccept>(HnswGraph graph, VectorBlock vectors, byte* query, int ef,
        ref TAccept accept, ref TopK top, float minSimilarity)
        where TSim : struct, IStoredSimilarity
        where TAccept : struct, IHnswAcceptor
    {
        int dim = vectors.Dimension;
        uint entry = graph.EntryPoint;
        float entryDistance = -TSim.Similarity(query, vectors.Pointer(entry), dim);

        uint[] upper = graph.Upper;
        int upperStride = graph.UpperStride;
        for (int level = graph.MaxLevel; level > 0; level--)
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                int at = graph.UpperOffset(entry) + ((level - 1) * upperStride);
                int count = (int)upper[at];
                for (int j = 1; j <= count; j++)
                {
                    uint nb = upper[at + j];
                    float d = -TSim.Similarity(query, vectors.Pointer(nb), dim);
                    if (d < entryDistance)
                    {
                        entryDistance = d;
                        entry = nb;
                        changed = true;
                    }
                }
            }
        }

        var candidates = new DistanceHeap<NearestFirst>(t_candidates ??= new NodeDistance[256]);
        var results = new DistanceHeap<FarthestFirst>(t_results ??= new NodeDistance[256]);
        uint[] gatherArray = t_gather is { } g && g.Length >= graph.M0 ? g : (t_gather = new uint[Math.Max(64, graph.M0)]);
        try
        {
            SearchLevel0<TSim, TAccept>(graph, vectors, query, ef, ref accept, entry, entryDistance, ref candidates, ref results, gatherArray);
            while (results.Count > 0)
            {
                NodeDistance r = results.Pop();
                float similarity = -r.Distance;
                if (similarity >= minSimilarity) top.Offer(r.Node, similarity);
            }
        }
        finally
        {
            t_candidates = candidates.Storage;
            t_results = results.Storage;
        }
    }

    private static void SearchLevel0<TSim, TAccept>(HnswGraph graph, VectorBlock vectors, byte* query, int ef,
        ref TAccept accept, uint entry, float entryDistance, ref DistanceHeap<NearestFirst> candidates, ref DistanceHeap<FarthestFirst> results, uint[] gatherArray)
        where TSim : struct, IStoredSimilarity
        where TAccept : struct, IHnswAcceptor
    {
        VisitedSet visited = VisitedSet.Rent(graph.NodeCount);
        ushort* tags = visited.Tags;
        ushort generation = visited.Generation;
        uint* level0 = graph.Level0;
        nint stride = graph.Level0Stride;
        int dim = vectors.Dimension;
        byte* vectorBase = vectors.Base;
        nint vectorStride = vectors.StrideBytes;
        int lines = Math.Min(PrefetchLines, (vectors.StrideBytes + 63) / 64);
        ref uint gather = ref MemoryMarshal.GetArrayDataReference(gatherArray);

        tags[entry] = generation;
        float lowerBound = float.MaxValue;
        if (accept.Accept(entry))
        {
            results.Push(entryDistance, entry);
            lowerBound = entryDistance;
        }
        candidates.Push(entryDistance, entry);

        while (candidates.Count > 0)
        {
            NodeDistance current = candidates.Top;
            if (current.Distance > lowerBound && results.Count >= ef) break;
            candidates.Pop();

            uint* list = level0 + ((nint)current.Node * stride);
            int count = (int)list[0];
            if (Sse.IsSupported)
            {
                for (int j = 1; j <= count; j++) Sse.Prefetch0(tags + list[j]);
            }
            int gathered = 0;
            for (int j = 1; j <= count; j++)
            {
                uint nb = list[j];
                if (tags[nb] == generation) continue;
                tags[nb] = generation;
                Unsafe.Add(ref gather, gathered++) = nb;
                vectors.Prefetch(nb, lines);
            }
            for (int i = 0; i < gathered; i++)
            {
                uint nb = Unsafe.Add(ref gather, i);
                float d = -TSim.Similarity(query, vectorBase + ((nint)nb * vectorStride), dim);
                if (results.Count < ef || d < lowerBound)
                {
                    candidates.Push(d, nb);
                    if (Sse.IsSupported) Sse.Prefetch0(level0 + ((nint)candidates.Top.Node * stride));
                    if (accept.Accept(nb))
                    {
                        results.Push(d, nb);
                        if (results.Count > ef) results.Pop();
                        lowerBound = results.Top.Distance;
                    }
                }
            }
        }
    }
}
