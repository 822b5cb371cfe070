using BenchmarkDotNet.Attributes;
using Grape.Core.Distances;

namespace Grape.Bench.Micro.Distances;

/// <summary>One pair of vectors per call in each stored datatype: float32 (the baseline), float16 (widened in registers)
/// and uint8 (integer multiply-add); the same values, rounded to each type.</summary>
[MemoryDiagnoser]
public unsafe class DatatypeKernelBench
{
    private float[] _fa = [], _fb = [];
    private ushort[] _ha = [], _hb = [];
    private byte[] _ba = [], _bb = [];

    [Params(128, 768, 1536)]
    public int Dim { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _fa = BenchData.Random(random, Dim);
        _fb = BenchData.Random(random, Dim);
        _ha = Array.ConvertAll(_fa, x => BitConverter.HalfToUInt16Bits((Half)x));
        _hb = Array.ConvertAll(_fb, x => BitConverter.HalfToUInt16Bits((Half)x));
        _ba = Array.ConvertAll(_fa, x => (byte)((x * 127.5f) + 127.5f));
        _bb = Array.ConvertAll(_fb, x => (byte)((x * 127.5f) + 127.5f));
    }

    [Benchmark(Baseline = true)]
    public float Float32Dot() => DotKernel.Dot(_fa, _fb);

    [Benchmark]
    public float Float16Dot()
    {
        fixed (ushort* a = _ha, b = _hb) return HalfKernel.Dot(a, b, Dim);
    }

    [Benchmark]
    public float Uint8Dot()
    {
        fixed (byte* a = _ba, b = _bb) return ByteKernel.Dot(a, b, Dim);
    }

    [Benchmark]
    public float Uint8Cosine()
    {
        fixed (byte* a = _ba, b = _bb) return ByteKernel.Cosine(a, b, Dim);
    }

    [Benchmark]
    public float Float32L2() => L2Kernel.SquaredDistance(_fa, _fb);

    [Benchmark]
    public float Float16L2()
    {
        fixed (ushort* a = _ha, b = _hb) return HalfKernel.SquaredDistance(a, b, Dim);
    }

    [Benchmark]
    public float Uint8L2()
    {
        fixed (byte* a = _ba, b = _bb) return ByteKernel.SquaredDistance(a, b, Dim);
    }

    [Benchmark]
    public float Uint8L1()
    {
        fixed (byte* a = _ba, b = _bb) return ByteKernel.L1(a, b, Dim);
    }
}
