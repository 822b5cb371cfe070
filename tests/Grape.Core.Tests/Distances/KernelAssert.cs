namespace Grape.Core.Tests.Distances;

internal static class KernelAssert
{
    public const double RelativeTolerance = 1e-4;

    /// <summary>|actual − expected| ≤ 1e-4 · scale (+ a denormal floor), with the length and offset in the message.</summary>
    public static void Close(double expected, float actual, double scale, int length, int offset)
    {
        double error = Math.Abs(actual - expected);
        double allowed = (RelativeTolerance * scale) + 1e-30;
        Assert.True(error <= allowed, $"length {length}, offset {offset}: expected {expected:R}, got {actual:R} (error {error:E3} > {allowed:E3})");
    }
}
