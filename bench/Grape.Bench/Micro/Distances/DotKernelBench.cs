using BenchmarkDotNet.Attributes;
using Grape.Core.Distances;
using System.Numerics.Tensors;

namespace Grape.Bench.Micro.Distances;

[MemoryDiagnoser]
public class DotKernelBench
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

    [Benchmark(Baseline = true)]
    public float Peer() => TensorPrimitives.Dot(_a, _b);

    [Benchmark]
    public float Grape() => DotKernel.Dot(_a, _b);
}
