using BenchmarkDotNet.Attributes;
using Grape.Core.Distances;
using System.Numerics.Tensors;

namespace Grape.Bench.Micro.Distances;

[MemoryDiagnoser]
public class L2KernelBench
{
    private float[] _a = [], _b = [];

    [Params(128, 768, 1536)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = BenchData.Random(random, Dim);
        _b = BenchData.Random(random, Dim);
    }

    /// <summary>TensorPrimitives has no squared distance; its Distance adds one square root, negligible per vector.</summary>
    [Benchmark(Baseline = true)]
    public float Peer() => TensorPrimitives.Distance(_a, _b);

    [Benchmark]
    public float Grape() => MathF.Sqrt(L2Kernel.SquaredDistance(_a, _b));
}
