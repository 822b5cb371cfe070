using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Grape.Core.Primitives;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// k-nearest search over a built graph: greedy descent through the upper levels, then a best-first search of level 0
/// with <c>ef</c> results, stopping when the nearest open candidate is farther than the worst of ef accepted results.
/// <para>
/// The level-0 loop is the hot path. Per expanded node: one list read (count + 2M ids, contiguous); the visited tags of
/// all its neighbours are prefetched, then the unvisited ones are gathered and marked in one pass while their vectors
/// are prefetched, then the whole neighbourhood is scored in one call (<see cref="IHnswScorer.Distances"/>: four vectors
/// per pass for float32), and only then do the heaps see them. The memory fetches of a neighbourhood overlap, and the
/// arithmetic runs apart from the branchy heap updates. Scratch (heaps, gather and distance buffers, visited tags) is per
/// thread and reused: a warmed-up search allocates nothing.
/// </para>
/// <para>
/// How a vector is scored is the <typeparamref name="TScorer"/> seam (see <see cref="IHnswScorer"/>); the methods are
/// compiled fully optimized on first use (no tiering through instrumented code while a benchmark or a server warms up).
/// </para>
/// </summary>
internal static unsafe class HnswSearcher<TScorer>
    where TScorer : struct, IHnswScorer
{
    [ThreadStatic]
    private static NodeDistance[]? t_candidates;

    [ThreadStatic]
    private static NodeDistance[]? t_results;

    [ThreadStatic]
    private static uint[]? t_gather;

    [ThreadStatic]
    private static float[]? t_distances;

    /// <summary>
    /// Offers the (up to) ef nearest accepted nodes to <paramref name="top"/> with their similarity (minus the scorer's
    /// distance), skipping those below <paramref name="minSimilarity"/>. The caller passes ef ≥ k.
    /// </summary>
    public static void Search<TAccept>(HnswGraph graph, ref TScorer scorer, int ef, ref TAccept accept, ref TopK top, float minSimilarity)
        where TAccept : struct, IHnswAcceptor
    {
        if (graph.MaxLevel < 0 || ef <= 0) return;
        int width = Math.Max(graph.M0, 4);
        uint[] gatherArray = t_gather is { } g && g.Length >= width ? g : (t_gather = new uint[Math.Max(64, width)]);
        float[] distanceArray = t_distances is { } da && da.Length >= width ? da : (t_distances = new float[Math.Max(64, width)]);

        uint entry = graph.EntryPoint;
        float entryDistance = scorer.Distance(entry);
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
                var ids = new ReadOnlySpan<uint>(upper, at + 1, count);
                var distances = new Span<float>(distanceArray, 0, count);
                scorer.Distances(ids, distances);
                for (int j = 0; j < count; j++)
                {
                    if (distances[j] < entryDistance)
                    {
                        entryDistance = distances[j];
                        entry = ids[j];
                        changed = true;
                    }
                }
            }
        }

        var candidates = new DistanceHeap<NearestFirst>(t_candidates ??= new NodeDistance[256]);
        var results = new DistanceHeap<FarthestFirst>(t_results ??= new NodeDistance[256]);
        try
        {
            SearchLevel0(graph, ref scorer, ef, ref accept, entry, entryDistance, ref candidates, ref results, gatherArray, distanceArray);
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

    private static void SearchLevel0<TAccept>(HnswGraph graph, ref TScorer scorer, int ef, ref TAccept accept, uint entry, float entryDistance,
        ref DistanceHeap<NearestFirst> candidates, ref DistanceHeap<FarthestFirst> results, uint[] gatherArray, float[] distanceArray)
        where TAccept : struct, IHnswAcceptor
    {
        VisitedSet visited = VisitedSet.Rent(graph.NodeCount);
        ushort* tags = visited.Tags;
        ushort generation = visited.Generation;
        uint* level0 = graph.Level0;
        nint stride = graph.Level0Stride;
        ref uint gather = ref MemoryMarshal.GetArrayDataReference(gatherArray);
        ref float dist = ref MemoryMarshal.GetArrayDataReference(distanceArray);

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
            // The next expansion is most likely the candidate now on top: its list is asked for here, so that it arrives
            // while this neighbourhood is scored (asked for at the end of the loop, it had no time to arrive).
            if (Sse.IsSupported && candidates.Count > 0) Sse.Prefetch0(level0 + ((nint)candidates.Top.Node * stride));

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
                scorer.Prefetch(nb);
            }
            if (gathered == 0) continue;
            scorer.Distances(MemoryMarshal.CreateReadOnlySpan(ref gather, gathered), MemoryMarshal.CreateSpan(ref dist, gathered));
            for (int i = 0; i < gathered; i++)
            {
                float d = Unsafe.Add(ref dist, i);
                if (results.Count < ef || d < lowerBound)
                {
                    uint nb = Unsafe.Add(ref gather, i);
                    candidates.Push(d, nb);
                    if (accept.Accept(nb))
                    {
                        results.Push(d, nb);
                        if (results.Count > ef) results.Pop();
                        lowerBound = results.Top.Distance;
                    }
                }
            }
            if (Sse.IsSupported && candidates.Count > 0) Sse.Prefetch0(level0 + ((nint)candidates.Top.Node * stride));
        }
    }
}
