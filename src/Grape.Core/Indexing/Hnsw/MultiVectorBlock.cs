using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Grape.Core.Distances;

namespace Grape.Core.Indexing.Hnsw;

/// <summary>
/// The multivectors a graph indexes: node n's sub-vectors, <c>Rows[n]</c> of them, row-major from address
/// <c>Starts[n]</c>, each <c>RowBytes</c> long in the column's stored form (float32, float16 or uint8 components). It
/// points into an immutable segment's multivector mapping (see
/// <see cref="Storage.Vectors.MultiVectorStorage.GetRowTable"/>); the segment owns the memory and outlives every build
/// and search over it.
/// </summary>
internal readonly unsafe struct MultiVectorBlock
{
    /// <summary>Stored rows scored per <see cref="IStoredSimilarity.Similarities"/> call (its row-index list).</summary>
    private const int RowsPerCall = 256;

    /// <summary>0, 1, 2, …: the row indices of a run of consecutive sub-vectors.</summary>
    private static readonly uint[] s_consecutive = CreateConsecutive();

    public MultiVectorBlock(nint[] starts, int[] rows, int dimension, int elementBytes)
    {
        Starts = starts;
        Rows = rows;
        Dimension = dimension;
        RowBytes = dimension * elementBytes;
    }

    public nint[] Starts { get; }

    public int[] Rows { get; }

    public int Dimension { get; }

    /// <summary>Bytes of one sub-vector.</summary>
    public int RowBytes { get; }

    public int Count => Starts.Length;

    /// <summary>
    /// max_sim of a query (<paramref name="queryRows"/> sub-vectors at <paramref name="query"/>, stored form) against node
    /// <paramref name="node"/>: per query row the best <typeparamref name="TSim"/> similarity over the node's rows, summed
    /// in query-row order. Each query row is scored against the node's rows in one batched call (four rows per pass for
    /// float32), so sums can differ from <see cref="MaxSimKernel"/>'s one-pair kernel in the last bits: callers that
    /// report scores rescore with it. −∞ for a node without rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float MaxSim<TSim>(byte* query, int queryRows, uint node)
        where TSim : struct, IStoredSimilarity =>
        MaxSim<TSim>(query, queryRows, (byte*)Starts[node], Rows[node], Dimension, RowBytes);

    [SkipLocalsInit] // the similarity buffer is written before it is read: no need to zero 1 KB per candidate
    public static float MaxSim<TSim>(byte* query, int queryRows, byte* stored, int storedRows, int dimension, int rowBytes)
        where TSim : struct, IStoredSimilarity
    {
        if (storedRows == 0) return float.NegativeInfinity;
        float* sims = stackalloc float[RowsPerCall];
        var simSpan = new Span<float>(sims, RowsPerCall);
        ReadOnlySpan<uint> consecutive = s_consecutive;
        float sum = 0f;
        for (int q = 0; q < queryRows; q++)
        {
            byte* row = query + ((nint)q * rowBytes);
            float best = float.NegativeInfinity;
            for (int from = 0; from < storedRows; from += RowsPerCall)
            {
                int n = Math.Min(RowsPerCall, storedRows - from);
                TSim.Similarities(row, stored + ((nint)from * rowBytes), rowBytes, dimension, consecutive[..n], simSpan[..n]);
                for (int j = 0; j < n; j++)
                {
                    if (sims[j] > best) best = sims[j];
                }
            }
            sum += best;
        }
        return sum;
    }

    /// <summary>Asks for the first <paramref name="lines"/> cache lines of a node's sub-vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint node, int lines)
    {
        if (!Sse.IsSupported) return;
        byte* p = (byte*)Starts[node];
        for (int i = 0; i < lines; i++) Sse.Prefetch0(p + (i * 64));
    }

    private static uint[] CreateConsecutive()
    {
        var rows = new uint[RowsPerCall];
        for (int i = 0; i < rows.Length; i++) rows[i] = (uint)i;
        return rows;
    }
}
