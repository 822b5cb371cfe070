using BenchmarkDotNet.Attributes;
using Grape.Core.Distances;
using System.Numerics.Tensors;

namespace Grape.Bench.Micro.Distances;

[MemoryDiagnoser]
public class L1KernelBench
{
    private float[] _a = [], _b = [], _scratch = [];

    [Params(128, 768, 1536)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = BenchData.Random(random, Dim);
        _b = BenchData.Random(random, Dim);
        _scratch = new float[Dim];
    }

    /// <summary>TensorPrimitives has no fused Manhattan distance: the best it offers is two passes over a scratch buffer.</summary>
    [Benchmark(Baseline = true)]
    public float Peer()
    {
        TensorPrimitives.Subtract(_a, _b, _scratch);
        return TensorPrimitives.SumOfMagnitudes(_scratch);
    }

    [Benchmark]
    public float Grape() => L1Kernel.Distance(_a, _b);
}
