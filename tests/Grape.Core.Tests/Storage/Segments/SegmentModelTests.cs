using System.Text;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;
using static Grape.Core.Tests.Storage.Segments.SegmentTestKit;

namespace Grape.Core.Tests.Storage.Segments;

/// <summary>Random upserts, deletes, flushes, crashes and reopens checked against a dictionary of live points.</summary>
public class SegmentModelTests
{
    private sealed record Point(ulong Version, float[]?[] Vectors, string Payload);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_operations_with_crashes_match_a_model(int seed)
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        var random = new Random(seed);
        var model = new Dictionary<PointId, Point>();
        var flushed = new Dictionary<PointId, Point>();
        Segment segment = Segment.CreateAppendable(dir, TwoVectors, Tiny);
        ulong opNum = 0;
        try
        {
            for (int step = 0; step < 1000; step++)
            {
                int roll = random.Next(100);
                if (roll < 70)
                {
                    int key = random.Next(150);
                    ulong version = ++opNum;
                    float[]?[] vectors = VectorsOf(key, version);
                    if (random.Next(4) == 0) vectors[0] = null;
                    string payload = random.Next(3) == 0 ? "" : PayloadOf(key, version) + new string(' ', random.Next(120));
                    segment.Upsert(version, IdOf(key), vectors, Encoding.UTF8.GetBytes(payload));
                    model[IdOf(key)] = new Point(version, vectors, payload);
                }
                else if (roll < 88)
                {
                    PointId id = IdOf(random.Next(150));
                    Assert.Equal(model.Remove(id), segment.Delete(id));
                }
                else if (roll < 93)
                {
                    segment.Flush();
                    flushed = new Dictionary<PointId, Point>(model);
                }
                else if (roll < 97)
                {
                    segment.Dispose(); // a crash: nothing since the last flush survives
                    segment = Segment.Open(dir, Tiny);
                    model = new Dictionary<PointId, Point>(flushed);
                    Check(segment, model);
                }
                else
                {
                    segment.Flush();
                    segment.Dispose();
                    segment = Segment.Open(dir, Tiny);
                    flushed = new Dictionary<PointId, Point>(model);
                    Check(segment, model);
                }
            }
            Check(segment, model);
        }
        finally
        {
            segment.Dispose();
        }
    }

    private static void Check(Segment segment, Dictionary<PointId, Point> model)
    {
        Assert.Equal(model.Count, segment.LivePointCount);
        for (int key = 0; key < 150; key++)
        {
            PointId id = IdOf(key);
            bool found = segment.TryGetOffset(id, out uint offset);
            Assert.Equal(model.TryGetValue(id, out Point? p), found);
            if (p is null) continue;
            Assert.Equal(p.Version, segment.GetVersion(offset));
            Assert.False(segment.IsDeleted(offset));
            for (int c = 0; c < p.Vectors.Length; c++) Assert.Equal(p.Vectors[c] ?? [], segment.GetVector(offset, c).ToArray());
            Assert.Equal(p.Payload, Encoding.UTF8.GetString(segment.GetPayload(offset)));
        }
        AssertIdMapMatchesSlots(segment);
    }
}
