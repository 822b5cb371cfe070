using Grape.Core.Collections;
using Grape.Core.Storage.Vectors;

namespace Grape.Core.Tests.Storage.Vectors;

public class VectorEncodingTests
{
    [Fact]
    public void Uint8_rounds_as_rusts_saturating_cast()
    {
        // Qdrant converts with `x as u8`: truncate toward zero, saturate to 0..255, NaN to 0.
        float[] values = [0f, 1f, 3.7f, 254.99f, 255f, 255.5f, 300f, -0.5f, -7f, 1e9f, float.NaN];
        VectorEncoding.Round(VectorDatatype.Uint8, values);
        Assert.Equal([0f, 1f, 3f, 254f, 255f, 255f, 255f, 0f, 0f, 255f, 0f], values);
    }

    [Fact]
    public void Float16_rounds_to_the_nearest_half_and_saturates_queries()
    {
        float[] values = [0.1f, 1f / 3, 65504f, 70000f, -1e6f, 1e-7f];
        VectorEncoding.Round(VectorDatatype.Float16, values);
        Assert.Equal([(float)(Half)0.1f, (float)(Half)(1f / 3), 65504f, 65504f, -65504f, (float)(Half)1e-7f], values);
        Assert.True(VectorEncoding.FitsFloat16([65504f, -65519f, 0f]));
        Assert.False(VectorEncoding.FitsFloat16([65520f]));
        Assert.False(VectorEncoding.FitsFloat16([1f, -1e5f]));
    }

    [Theory]
    [InlineData(VectorDatatype.Float32, 4)]
    [InlineData(VectorDatatype.Float16, 2)]
    [InlineData(VectorDatatype.Uint8, 1)]
    public void Rounded_values_encode_and_decode_exactly(VectorDatatype datatype, int elementBytes)
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 100).Select(_ => (float)(random.NextDouble() * 300 - 20)).ToArray();
        VectorEncoding.Round(datatype, values);
        byte[] encoded = VectorEncoding.Encode(datatype, values);
        Assert.Equal(values.Length * elementBytes, encoded.Length);
        Assert.Equal(values, VectorEncoding.Decode(datatype, encoded));
    }
}
