using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Grape.Core.Distances;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// Scores float32 vectors of a <see cref="VectorBlock"/> with <typeparamref name="TSim"/>. The query is copied into a
/// 64-byte aligned per-thread buffer (vector rows of a mapped block are aligned whenever the row size is a multiple of
/// 64 bytes, so no load of either side splits a cache line), and neighbourhoods are scored four vectors per pass where
/// <see cref="BatchKernel"/> supports the dimension. Batched sums add in another order than the one-pair kernel: scores
/// can differ from an exact scan's in the last bits (relative 1e-6), never in rank beyond such ties.
/// Create it with <see cref="Create"/> and keep it on the stack for one search; one search per thread at a time.
/// </summary>
internal unsafe struct Float32Scorer<TSim> : IHnswScorer
    where TSim : struct, IBatchSimilarity
{
    [ThreadStatic]
    private static float* t_query;

    [ThreadStatic]
    private static int t_queryCapacity;

    private readonly float* _query;
    private readonly float* _base;
    private readonly int _dim;
    private readonly int _lines;
    private readonly bool _batch;

    private Float32Scorer(float* query, VectorBlock vectors, int prefetchLines)
    {
        _query = query;
        _base = (float*)vectors.Base;
        _dim = vectors.Dimension;
        _lines = Math.Min(prefetchLines, ((_dim * sizeof(float)) + 63) / 64);
        _batch = BatchKernel.Supports(_dim);
    }

    /// <summary>A scorer of <paramref name="query"/> (length = the block's dimension, checked by the caller).</summary>
    public static Float32Scorer<TSim> Create(VectorBlock vectors, ReadOnlySpan<float> query, int prefetchLines)
    {
        if (t_queryCapacity < query.Length)
        {
            if (t_query is not null) NativeMemory.AlignedFree(t_query); // a thread's buffer lives as long as the thread
            t_query = (float*)NativeMemory.AlignedAlloc((nuint)query.Length * sizeof(float), 64);
            t_queryCapacity = query.Length;
        }
        query.CopyTo(new Span<float>(t_query, query.Length));
        return new Float32Scorer<TSim>(t_query, vectors, prefetchLines);
    }

    public readonly float Distance(uint node)
    {
        if (!_batch) return -TSim.Similarity(new ReadOnlySpan<float>(_query, _dim), new ReadOnlySpan<float>(Row(node), _dim));
        // The batch kernel with the row repeated: every distance of a search comes from one summation order.
        float* sims = stackalloc float[4];
        float* row = Row(node);
        TSim.Similarity4(_query, row, row, row, row, _dim, sims);
        return -sims[0];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Distances(ReadOnlySpan<uint> nodes, Span<float> distances)
    {
        // The build's batched similarities (four rows per pass where the dimension allows), negated into distances.
        Float32Similarity<TSim>.Similarities((byte*)_query, (byte*)_base, (nint)_dim * sizeof(float), _dim, nodes, distances);
        for (int j = 0; j < nodes.Length; j++) distances[j] = -distances[j];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Prefetch(uint node)
    {
        if (!Sse.IsSupported) return;
        byte* p = (byte*)Row(node);
        for (int i = 0; i < _lines; i++) Sse.Prefetch0(p + (i * 64));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly float* Row(uint node) => _base + ((nint)node * _dim);
}
