namespace Grape.Core.Indexing.Hnsw;

/// <summary>How to build a graph: <paramref name="M"/> links per node (2M on level 0), <paramref name="EfConstruct"/>
/// candidates per insertion, <paramref name="Threads"/> inserting concurrently (0 = every core), and the seed of the
/// level draw (same seed and one thread: the same graph).</summary>
internal sealed record HnswBuildOptions(int M, int EfConstruct, int Threads = 0, int Seed = 100)
{
    /// <summary>Levels never exceed this (a node's level is a byte; with M ≥ 2 level 32 is out of reach anyway).</summary>
    public const int MaxLevel = 32;

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
