using Grape.Core.Collections;
using Grape.Core.Points;
using Grape.Core.Query;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>Qdrant's gRPC multivector messages: <c>MultiVectorConfig</c>, <c>MultiDenseVector</c> (write, read and query side)
/// and the deprecated flat form (<c>data</c> + <c>vectors_count</c>).</summary>
internal static class GrpcMultiVectorMapper
{
    public static MultiVectorConfig? Config(P.VectorParams p) => p.MultivectorConfig is { } c ? Config(c) : null;

    public static MultiVectorConfig Config(P.MultiVectorConfig c) => c.Comparator switch
    {
        P.MultiVectorComparator.MaxSim => new MultiVectorConfig(MultiVectorComparator.MaxSim),
        var other => throw GrpcInput.Invalid($"multivector_config.comparator: unknown comparator {(int)other}"),
    };

    public static P.MultiVectorConfig ToProto(MultiVectorConfig c) => new()
    {
        Comparator = c.Comparator switch
        {
            MultiVectorComparator.MaxSim => P.MultiVectorComparator.MaxSim,
            var other => throw new ArgumentOutOfRangeException(nameof(c), other, null),
        },
    };

    /// <summary>A <c>MultiDenseVector</c>; its rows are checked by <see cref="Vector.FromMulti"/> (empty, ragged → 400).</summary>
    public static Vector Multi(P.MultiDenseVector m)
    {
        var rows = new float[m.Vectors.Count][];
        for (int i = 0; i < rows.Length; i++) rows[i] = [.. m.Vectors[i].Data];
        return Vector.FromMulti(rows);
    }

    /// <summary>The deprecated form old clients send: <c>data</c> flattened row-major, <c>vectors_count</c> rows.</summary>
    public static Vector Flat(IReadOnlyList<float> data, uint vectorsCount)
    {
        if (vectorsCount == 0 || data.Count == 0)
            throw GrpcInput.Invalid($"vector: Empty multi-vector data with vectors count: {vectorsCount}");
        if (data.Count % vectorsCount != 0)
            throw GrpcInput.Invalid($"vector: Data length is not divisible by vectors count. Data length: {data.Count}, vectors count: {vectorsCount}");
        return Vector.FromMultiFlat([.. data], (int)vectorsCount);
    }

    public static VectorInput Input(P.MultiDenseVector m) => VectorInput.FromMulti(Multi(m).MultiDense!);

    /// <summary>A stored multivector as Qdrant sends it: only the <c>multi_dense</c> oneof set.</summary>
    public static P.VectorOutput Out(Vector v)
    {
        var m = new P.MultiDenseVector();
        int dim = v.Dense.Length / v.VectorCount;
        for (int r = 0; r < v.VectorCount; r++)
        {
            var d = new P.DenseVector();
            d.Data.Add(v.Dense.AsSpan(r * dim, dim).ToArray());
            m.Vectors.Add(d);
        }
        return new P.VectorOutput { MultiDense = m };
    }
}
