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

    /// <summary>A scorer whose query is a stored row (the builder scores from a node's own vector): no copy; rows are
    /// as aligned as the block makes them.</summary>
    public static Float32Scorer<TSim> OverRow(VectorBlock vectors, float* row, int prefetchLines) => new(row, vectors, prefetchLines);

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
        ref uint n = ref MemoryMarshal.GetReference(nodes);
        ref float d = ref MemoryMarshal.GetReference(distances);
        int count = nodes.Length;
        if (!_batch)
        {
            for (int j = 0; j < count; j++)
                Unsafe.Add(ref d, j) = -TSim.Similarity(new ReadOnlySpan<float>(_query, _dim), new ReadOnlySpan<float>(Row(Unsafe.Add(ref n, j)), _dim));
            return;
        }
        float* sims = stackalloc float[4];
        int i = 0;
        for (; i + 4 <= count; i += 4)
        {
            TSim.Similarity4(_query, Row(Unsafe.Add(ref n, i)), Row(Unsafe.Add(ref n, i + 1)), Row(Unsafe.Add(ref n, i + 2)),
                Row(Unsafe.Add(ref n, i + 3)), _dim, sims);
            Unsafe.Add(ref d, i) = -sims[0];
            Unsafe.Add(ref d, i + 1) = -sims[1];
            Unsafe.Add(ref d, i + 2) = -sims[2];
            Unsafe.Add(ref d, i + 3) = -sims[3];
        }
        if (i < count)
        {
            // 1 to 3 left: one more pass with the last row repeated in the spare lanes.
            float* r0 = Row(Unsafe.Add(ref n, i));
            float* r1 = i + 1 < count ? Row(Unsafe.Add(ref n, i + 1)) : r0;
            float* r2 = i + 2 < count ? Row(Unsafe.Add(ref n, i + 2)) : r1;
            TSim.Similarity4(_query, r0, r1, r2, r2, _dim, sims);
            for (int j = 0; i + j < count; j++) Unsafe.Add(ref d, i + j) = -sims[j];
        }
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
