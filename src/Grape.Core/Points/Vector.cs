namespace Grape.Core.Points;

/// <summary>
/// One vector value of a point. Today a dense float32 vector; sparse and multi-vectors join this type when
/// their issues land, so the public shape of <see cref="PointStruct"/> does not change.
/// </summary>
public sealed class Vector
{
    private Vector(float[] dense) => Dense = dense;

    /// <summary>The dense components.</summary>
    public float[] Dense { get; }

    public static Vector FromDense(float[] values) => new(values ?? throw new ArgumentNullException(nameof(values)));

    public static implicit operator Vector(float[] values) => FromDense(values);
}
