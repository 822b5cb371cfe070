using System.Runtime.Intrinsics;

namespace Grape.Core.Distances;

/// <summary>
/// One element-wise term of a pairwise reduction (a·b, (a−b)², |a−b|), at every width, so <see cref="PairwiseReduction"/>
/// holds the loop once and each kernel only says what it adds up. Static abstract members: the JIT specializes the loop
/// per struct, nothing is virtual.
/// </summary>
internal interface IPairwiseOp
{
    /// <summary>acc + term(a, b); a separate member so products fuse into one FMA.</summary>
    static abstract Vector512<float> Accumulate(Vector512<float> a, Vector512<float> b, Vector512<float> acc);

    /// <summary>term(a, b) alone, for the masked tail.</summary>
    static abstract Vector512<float> Term(Vector512<float> a, Vector512<float> b);

    static abstract Vector256<float> Accumulate(Vector256<float> a, Vector256<float> b, Vector256<float> acc);

    static abstract Vector256<float> Term(Vector256<float> a, Vector256<float> b);

    static abstract float Term(float a, float b);
}
