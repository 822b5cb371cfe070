using BenchmarkDotNet.Attributes;
using Grape.Core.Distances;
using System.Numerics.Tensors;

namespace Grape.Bench.Micro.Distances;

[MemoryDiagnoser]
public class VectorMathBench
{
    private float[] _a = [];

    [Params(128, 768, 1536)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup() => _a = BenchData.Random(new Random(42), Dim);

    [Benchmark(Baseline = true)]
    public bool PeerIsFinite() => TensorPrimitives.IsFiniteAll<float>(_a);

    [Benchmark]
    public bool GrapeIsFinite() => VectorMath.IsFinite(_a);
}
