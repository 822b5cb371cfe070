using System.Runtime.InteropServices;
using Grape.Core.Distances;
using Grape.Core.Primitives;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Filtered k-nearest search over a built graph, as Qdrant walks it when a filter's cardinality is above
/// <c>full_scan_threshold</c>: on level 0 only nodes that pass the check are scored and expanded, so the cost follows the
/// matching points rather than the whole graph. The graph restricted to the matching points stays navigable thanks to the
/// per-value payload links (<see cref="HnswPayloadLinks"/>, Qdrant's <c>payload_m</c>), which are followed beside the
/// main level-0 list.
/// <list type="bullet">
/// <item>Upper levels route without the filter (greedy descent to the query's region); they only pick where level 0 starts.</item>
/// <item>Seeds: that entry, plus every payload block entry point that passes the check (the only seeds when the
/// collection has <c>m: 0</c> and only per-value graphs).</item>
/// <item>While nothing matching has been found yet, non-matching nodes are scored and expanded too (a bridge from the
/// entry to the nearest matches); after that, never.</item>
/// </list>
/// The check is a struct parameter (a bitset lookup when the indexes answer the filter exactly), called once per
/// neighbour not visited before. A node's payload links are followed when its main list gave fewer than M/2 new
/// matches (inside a dense matching region the main graph suffices, and the links of unrelated fields cost checks).
/// With <c>twoHop</c> (for cheap checks only), a node with fewer than M/2 matching neighbours in both lists also looks
/// through its non-matching neighbours at their matching ones (ACORN-1's two-hop expansion), so a filter without
/// payload links of its own (a conjunction, a field without links) does not strand the walk in a sparse region.
/// </summary>
internal static unsafe class HnswFilteredSearcher
{
    [ThreadStatic]
    private static NodeDistance[]? t_candidates;

    [ThreadStatic]
    private static NodeDistance[]? t_results;

    [ThreadStatic]
    private static uint[]? t_gather;

    /// <summary>
    /// Offers the (up to) ef nearest nodes passing <paramref name="check"/> to <paramref name="top"/> with their similarity,
    /// skipping those below <paramref name="minSimilarity"/>. The caller passes ef ≥ k. <paramref name="cheapCheck"/>: the
    /// check reads no payload (a bitset), so it may be asked again for visited neighbours.
    /// </summary>
    public static void Search<TSim, TCheck>(HnswGraph graph, VectorBlock vectors, ReadOnlySpan<float> query, int ef,
        ref TCheck check, ref TopK top, float minSimilarity, bool twoHop, bool cheapCheck)
        where TSim : struct, ISimilarity
        where TCheck : struct, IHnswAcceptor
    {
        HnswPayloadLinks? extra = graph.PayloadLinks;
        if (ef <= 0 || (graph.MaxLevel < 0 && (extra is null || extra.EntryPoints.Length == 0))) return;

        var candidates = new DistanceHeap<NearestFirst>(t_candidates ??= new NodeDistance[256]);
        var results = new DistanceHeap<FarthestFirst>(t_results ??= new NodeDistance[256]);
        int maxList = (graph.M0 * (1 + graph.M0)) + (extra?.MaxLinks ?? 0);
        uint[] gather = t_gather is { } g && g.Length >= maxList ? g : (t_gather = new uint[Math.Max(64, maxList)]);
        VisitedSet visited = VisitedSet.Rent(graph.NodeCount);
        try
        {
            float lowerBound = float.MaxValue;
            if (graph.MaxLevel >= 0)
            {
                (uint entry, float entryDistance) = Descend<TSim>(graph, vectors, query);
                visited.Visit(entry);
                candidates.Push(entryDistance, entry);
                if (check.Accept(entry))
                {
                    results.Push(entryDistance, entry);
                    lowerBound = entryDistance;
                }
            }
            if (extra is not null)
            {
                foreach (uint e in extra.EntryPoints)
                {
                    if (!check.Accept(e) || !visited.Visit(e)) continue;
                    float d = -TSim.Similarity(query, vectors.Get(e));
                    candidates.Push(d, e);
                    results.Push(d, e);
                    if (results.Count > ef) results.Pop();
                    lowerBound = results.Top.Distance;
                }
            }
            SearchLevel0<TSim, TCheck>(graph, extra, vectors, query, ef, ref check, visited, ref candidates, ref results, gather, lowerBound, twoHop, cheapCheck);
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

    /// <summary>Greedy descent through the upper levels (no filter): the level-0 node nearest the query found that way.</summary>
    private static (uint Node, float Distance) Descend<TSim>(HnswGraph graph, VectorBlock vectors, ReadOnlySpan<float> query)
        where TSim : struct, ISimilarity
    {
        uint entry = graph.EntryPoint;
        float entryDistance = -TSim.Similarity(query, vectors.Get(entry));
        uint[] upper = graph.Upper;
        for (int level = graph.MaxLevel; level > 0; level--)
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                int at = graph.UpperOffset(entry) + ((level - 1) * graph.UpperStride);
                int count = (int)upper[at];
                for (int j = 1; j <= count; j++)
                {
                    uint nb = upper[at + j];
                    float d = -TSim.Similarity(query, vectors.Get(nb));
                    if (d < entryDistance)
                    {
                        entryDistance = d;
                        entry = nb;
                        changed = true;
                    }
                }
            }
        }
        return (entry, entryDistance);
    }

    private static void SearchLevel0<TSim, TCheck>(HnswGraph graph, HnswPayloadLinks? extra, VectorBlock vectors, ReadOnlySpan<float> query,
        int ef, ref TCheck check, VisitedSet visited, ref DistanceHeap<NearestFirst> candidates, ref DistanceHeap<FarthestFirst> results,
        uint[] gatherArray, float lowerBound, bool twoHop, bool cheapCheck)
        where TSim : struct, ISimilarity
        where TCheck : struct, IHnswAcceptor
    {
        int sparse = Math.Max(1, graph.M / 2);
        int dim = vectors.Dimension;
        int lines = Math.Min(HnswIndex.PrefetchLines, (dim * sizeof(float) + 63) / 64);
        Span<uint> gather = gatherArray;
        while (candidates.Count > 0)
        {
            NodeDistance current = candidates.Top;
            if (current.Distance > lowerBound && results.Count >= ef) break;
            candidates.Pop();
            bool bridging = results.Count == 0;

            int gathered = 0;
            ReadOnlySpan<uint> own = graph.M0 > 0 ? new ReadOnlySpan<uint>(graph.Links0(current.Node) + 1, (int)graph.Links0(current.Node)[0]) : default;
            ReadOnlySpan<uint> more = extra is not null ? extra.Of(current.Node) : default;
            // Main links first; payload links when those gave few new matches (a node inside a dense matching region
            // needs no more); two hops when even both leave the node sparsely connected to matches.
            gathered = Gather(own, visited, ref check, bridging, vectors, lines, gather, gathered);
            // With a cheap check, "few matches" counts visited neighbours too (a converged dense region needs no links).
            int ownMatching = cheapCheck && !bridging && gathered < sparse ? CountMatching(own, ref check) : gathered;
            if (more.Length > 0 && (bridging || ownMatching < sparse))
                gathered = Gather(more, visited, ref check, bridging, vectors, lines, gather, gathered);
            if (twoHop && !bridging && gathered < sparse && ownMatching + CountMatching(more, ref check) < sparse)
                gathered = GatherTwoHop(graph, own, visited, ref check, vectors, lines, gather, gathered);

            for (int i = 0; i < gathered; i++)
            {
                uint nb = gather[i];
                float d = -TSim.Similarity(query, vectors.Get(nb));
                if (results.Count >= ef && d >= lowerBound) continue;
                if (!bridging)
                {
                    candidates.Push(d, nb);
                    results.Push(d, nb);
                    if (results.Count > ef) results.Pop();
                    lowerBound = results.Top.Distance;
                }
                else
                {
                    candidates.Push(d, nb); // a bridge node is expanded, a matching one also kept
                    if (!check.Accept(nb)) continue;
                    results.Push(d, nb);
                    if (results.Count > ef) results.Pop();
                    lowerBound = results.Top.Distance;
                }
            }
        }
    }

    private static int CountMatching<TCheck>(ReadOnlySpan<uint> links, ref TCheck check)
        where TCheck : struct, IHnswAcceptor
    {
        int n = 0;
        foreach (uint nb in links)
            if (check.Accept(nb)) n++;
        return n;
    }

    /// <summary>Appends the unvisited matching neighbours, and through each non-matching neighbour its unvisited matching
    /// neighbours (those are marked visited; non-matching ones are left for other paths).</summary>
    private static int GatherTwoHop<TCheck>(HnswGraph graph, ReadOnlySpan<uint> links, VisitedSet visited, ref TCheck check,
        VectorBlock vectors, int lines, Span<uint> gather, int gathered)
        where TCheck : struct, IHnswAcceptor
    {
        foreach (uint nb in links)
        {
            if (check.Accept(nb))
            {
                if (!visited.Visit(nb)) continue;
                gather[gathered++] = nb;
                vectors.Prefetch(nb, lines);
                continue;
            }
            uint* second = graph.Links0(nb);
            for (int j = 1; j <= (int)second[0]; j++)
            {
                uint nb2 = second[j];
                if (!check.Accept(nb2) || !visited.Visit(nb2)) continue;
                gather[gathered++] = nb2;
                vectors.Prefetch(nb2, lines);
            }
        }
        return gathered;
    }

    /// <summary>Appends the unvisited neighbours worth scoring (passing the check, or any while bridging) to <paramref name="gather"/>.</summary>
    private static int Gather<TCheck>(ReadOnlySpan<uint> links, VisitedSet visited, ref TCheck check, bool bridging, VectorBlock vectors,
        int lines, Span<uint> gather, int gathered)
        where TCheck : struct, IHnswAcceptor
    {
        ref uint dst = ref MemoryMarshal.GetReference(gather);
        foreach (uint nb in links)
        {
            if (!visited.Visit(nb)) continue;
            if (!bridging && !check.Accept(nb)) continue;
            System.Runtime.CompilerServices.Unsafe.Add(ref dst, gathered++) = nb;
            vectors.Prefetch(nb, lines);
        }
        return gathered;
    }
}
