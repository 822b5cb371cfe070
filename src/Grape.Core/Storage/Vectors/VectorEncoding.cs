using System.Runtime.InteropServices;
using Grape.Core.Collections;

namespace Grape.Core.Storage.Vectors;

/// <summary>
/// Converting float32 vectors to and from a column's <see cref="VectorDatatype"/>. Writes and queries are first rounded
/// to the datatype's values (<see cref="Round"/>, still as floats: what the WAL carries and what scores are computed on),
/// then encoded exactly; decoding gives those floats back, so a stored vector reads back as the rounded values.
/// </summary>
internal static class VectorEncoding
{
    /// <summary>The largest finite IEEE half.</summary>
    public const float MaxHalf = 65504f;

    public static int ElementBytes(VectorDatatype datatype) => datatype switch
    {
        VectorDatatype.Float32 => sizeof(float),
        VectorDatatype.Float16 => 2,
        VectorDatatype.Uint8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, null),
    };

    /// <summary>The lowercase name Qdrant uses (<c>float32</c>, <c>float16</c>, <c>uint8</c>).</summary>
    public static string Name(VectorDatatype datatype) => datatype switch
    {
        VectorDatatype.Float32 => "float32",
        VectorDatatype.Float16 => "float16",
        VectorDatatype.Uint8 => "uint8",
        _ => throw new ArgumentOutOfRangeException(nameof(datatype), datatype, null),
    };

    public static bool TryParse(string? name, out VectorDatatype datatype)
    {
        switch (name)
        {
            case "float32": datatype = VectorDatatype.Float32; return true;
            case "float16": datatype = VectorDatatype.Float16; return true;
            case "uint8": datatype = VectorDatatype.Uint8; return true;
            default: datatype = default; return false;
        }
    }

    /// <summary>
    /// Rounds finite values in place to what the datatype can hold: float16 to the nearest half (beyond ±65504 it
    /// saturates to ±65504; writes refuse such values first, see <see cref="FitsFloat16"/>), uint8 as Rust's
    /// <c>as u8</c> (truncate toward zero, then clamp to 0..255; NaN → 0). Float32 is left alone.
    /// </summary>
    public static void Round(VectorDatatype datatype, Span<float> values)
    {
        switch (datatype)
        {
            case VectorDatatype.Float16:
                for (int i = 0; i < values.Length; i++)
                {
                    float x = Math.Clamp(values[i], -MaxHalf, MaxHalf);
                    values[i] = (float)(Half)x;
                }
                break;
            case VectorDatatype.Uint8:
                for (int i = 0; i < values.Length; i++) values[i] = ToByte(values[i]);
                break;
        }
    }

    /// <summary>Rust's saturating <c>f32 as u8</c>.</summary>
    public static byte ToByte(float x) => float.IsNaN(x) ? (byte)0 : x <= 0f ? (byte)0 : x >= 255f ? (byte)255 : (byte)x;

    /// <summary>Whether every value rounds to a finite half (|x| below 65520, the first value rounding to infinity).</summary>
    public static bool FitsFloat16(ReadOnlySpan<float> values)
    {
        foreach (float x in values)
            if (!Half.IsFinite((Half)x)) return false;
        return true;
    }

    /// <summary>Encodes values already rounded by <see cref="Round"/> (exact) into <paramref name="destination"/> of
    /// length × element bytes.</summary>
    public static void Encode(VectorDatatype datatype, ReadOnlySpan<float> values, Span<byte> destination)
    {
        switch (datatype)
        {
            case VectorDatatype.Float32:
                MemoryMarshal.AsBytes(values).CopyTo(destination);
                break;
            case VectorDatatype.Float16:
                {
                    Span<Half> halves = MemoryMarshal.Cast<byte, Half>(destination);
                    for (int i = 0; i < values.Length; i++) halves[i] = (Half)values[i];
                    break;
                }
            default:
                for (int i = 0; i < values.Length; i++) destination[i] = ToByte(values[i]);
                break;
        }
    }

    /// <summary>The encoded form of rounded values as a new array (a query in the column's type).</summary>
    public static byte[] Encode(VectorDatatype datatype, ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * ElementBytes(datatype)];
        Encode(datatype, values, bytes);
        return bytes;
    }

    /// <summary>Decodes <paramref name="encoded"/> into floats (<paramref name="destination"/> holds at least
    /// encoded length / element bytes values).</summary>
    public static void Decode(VectorDatatype datatype, ReadOnlySpan<byte> encoded, Span<float> destination)
    {
        switch (datatype)
        {
            case VectorDatatype.Float32:
                MemoryMarshal.Cast<byte, float>(encoded).CopyTo(destination);
                break;
            case VectorDatatype.Float16:
                {
                    ReadOnlySpan<Half> halves = MemoryMarshal.Cast<byte, Half>(encoded);
                    for (int i = 0; i < halves.Length; i++) destination[i] = (float)halves[i];
                    break;
                }
            default:
                for (int i = 0; i < encoded.Length; i++) destination[i] = encoded[i];
                break;
        }
    }

    /// <summary>Decoded floats as a new array.</summary>
    public static float[] Decode(VectorDatatype datatype, ReadOnlySpan<byte> encoded)
    {
        var values = new float[encoded.Length / ElementBytes(datatype)];
        Decode(datatype, encoded, values);
        return values;
    }
}
