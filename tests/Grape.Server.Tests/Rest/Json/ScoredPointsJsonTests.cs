using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Points;
using Grape.Server.Rest.Dto;
using Grape.Server.Rest.Json;
using Grape.Server.Rest.Mapping;
using Xunit;

namespace Grape.Server.Tests.Rest.Json;

public class ScoredPointsJsonTests
{
    /// <summary>Plain scored points (random u64 and UUID ids, versions, scores of every magnitude and sign, -0):
    /// the direct writer gives the bytes the DTO serializer gives, as a list and inside a query response.</summary>
    [Fact]
    public void Plain_points_are_written_as_the_dtos_are()
    {
        var rng = new Random(5);
        for (int round = 0; round < 2_000; round++)
        {
            var points = new List<ScoredPoint>();
            for (int k = rng.Next(0, 12); k > 0; k--)
            {
                var id = rng.Next(3) == 0 ? PointId.FromUuid(new Guid(RandomBytes(rng, 16)))
                    : PointId.FromNumber(rng.Next(4) == 0 ? ulong.MaxValue - (ulong)rng.Next(3) : (ulong)rng.NextInt64());
                float score = rng.Next(8) switch
                {
                    0 => -0f,
                    1 => rng.Next(-5, 5),
                    2 => float.Epsilon * rng.Next(1, 100),
                    _ => (rng.NextSingle() * 2 - 1) * MathF.Pow(10, rng.Next(-30, 30)),
                };
                points.Add(new ScoredPoint(id, (ulong)rng.NextInt64(), score, null, null));
            }
            Assert.True(ScoredPointsJson.IsPlain(points, PayloadSelector.None));
            Assert.Equal(Write(w => JsonSerializer.Serialize(w, ResultMapper.Scored(points, PayloadSelector.None), SearchJsonContext.Default.ListScoredPointDto)),
                Write(w => ScoredPointsJson.WritePlain(w, points)));
            Assert.Equal(Write(w => JsonSerializer.Serialize(w, ResultMapper.Query(points, PayloadSelector.None), SearchJsonContext.Default.QueryResponseDto)),
                Write(w => ScoredPointsJson.WriteQueryResponse(w, points)));
        }
    }

    [Fact]
    public void Points_with_more_than_id_version_and_score_are_not_plain()
    {
        var plain = new ScoredPoint(PointId.FromNumber(1), 0, 0.5f, null, null);
        Assert.False(ScoredPointsJson.IsPlain([plain], PayloadSelector.All));
        Assert.False(ScoredPointsJson.IsPlain([plain, plain with { Vectors = new Dictionary<string, Vector>() }], PayloadSelector.None));
        Assert.False(ScoredPointsJson.IsPlain([plain with { OrderValue = OrderValue.FromInteger(3) }], PayloadSelector.None));
        Assert.True(ScoredPointsJson.IsPlain([plain with { Payload = new JsonObject { ["a"] = 1 } }], PayloadSelector.None));
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            write(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static byte[] RandomBytes(Random rng, int n)
    {
        var b = new byte[n];
        rng.NextBytes(b);
        return b;
    }
}
