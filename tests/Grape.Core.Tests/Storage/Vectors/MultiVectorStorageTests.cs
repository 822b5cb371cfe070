using System.Buffers;
using Grape.Core.Collections.Shards;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;
using Grape.Core.Tests.Storage.Segments;

namespace Grape.Core.Tests.Storage.Vectors;

public class MultiVectorStorageTests
{
    private static readonly SegmentVectorSpec[] Specs = [new("dense", 2, OnDisk: false), new("multi", 3, OnDisk: false, Multi: true)];

    private static float[] Rows(Random r, int rows)
    {
        var v = new float[rows * 3];
        for (int i = 0; i < v.Length; i++) v[i] = r.NextSingle();
        return v;
    }

    [Fact]
    public void Multivectors_cross_tiny_chunks_survive_flush_reopen_and_the_builder()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        var expected = new Dictionary<ulong, float[]?>();
        var random = new Random(3);
        using (Segment segment = Segment.CreateAppendable(dir, Specs, SegmentTestKit.Tiny)) // 64-byte chunks: up to 12 rows of 12 bytes span views
        {
            for (ulong key = 0; key < 300; key++)
            {
                float[]? multi = key % 7 == 3 ? null : Rows(random, 1 + random.Next(12));
                segment.Upsert(key, PointId.FromNumber(key), [new float[] { key, 1 }, multi], []);
                expected[key] = multi;
                if (key == 150) segment.Flush(); // half flushed: the reopen maps the flushed prefix as one view, then grows
            }
            Check(segment);
            segment.Flush();
        }
        using (Segment reopened = Segment.Open(dir, SegmentTestKit.Tiny))
        {
            Check(reopened);
            Assert.Equal(expected.Values.Count(v => v is not null), reopened.ColumnVectorCount(1));
            Assert.Equal(expected.Values.Sum(v => (v?.Length ?? 0) * 4L), reopened.ColumnVectorBytes(1));
            // Writes after the reopen keep appending to the same file.
            reopened.Upsert(1000, PointId.FromNumber(1000), [null, Rows(random, 30)], []); // larger than a chunk
            reopened.Flush();
        }
        string built = temp.Sub("built");
        using (Segment source = Segment.Open(dir, SegmentTestKit.Tiny))
        {
            using var builder = new SegmentBuilder(built, Specs);
            for (uint s = 0; s < (uint)source.SlotCount; s++) builder.Add(source, s);
            using Segment immutable = builder.Build();
            Check(immutable);
            Assert.Equal(90, immutable.GetVector(immutable.TryGetOffset(PointId.FromNumber(1000), out uint o) ? o : 0, 1).Length);
        }
        using (Segment reopenedBuilt = Segment.Open(built)) Check(reopenedBuilt);

        void Check(Segment s)
        {
            foreach (var (key, multi) in expected)
            {
                Assert.True(s.TryGetOffset(PointId.FromNumber(key), out uint offset));
                Assert.Equal(multi is not null, s.HasVector(offset, 1));
                Assert.Equal(multi ?? [], s.GetVector(offset, 1).ToArray());
                Assert.Equal(new float[] { key, 1 }, s.GetVector(offset, 0).ToArray());
            }
        }
    }

    [Fact]
    public void A_multivector_column_refuses_a_partial_sub_vector()
    {
        using var temp = new TempFolder();
        using Segment segment = Segment.CreateAppendable(temp.Sub("seg"), Specs, SegmentTestKit.Tiny);
        Assert.Throws<ArgumentException>(() => segment.Upsert(1, PointId.FromNumber(1), [null, new float[4]], []));
        Assert.Throws<ArgumentException>(() => segment.Upsert(1, PointId.FromNumber(1), [null, Array.Empty<float>()], []));
        Assert.Equal(0, segment.SlotCount);
    }

    [Fact]
    public void The_wal_codec_keeps_multivectors_whole()
    {
        float[] multi = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var op = new ShardOperation.Upsert([new ShardPoint(PointId.FromNumber(5), [new float[] { 1, 2 }, multi], [])]);
        var buffer = new ArrayBufferWriter<byte>();
        ShardOperationCodec.Encode(op, buffer);
        Assert.True(ShardOperationCodec.EstimateSize(op) >= buffer.WrittenCount);
        var back = Assert.IsType<ShardOperation.Upsert>(ShardOperationCodec.Decode(buffer.WrittenSpan));
        Assert.Equal(multi, back.Points[0].Vectors[1]);
        Assert.Equal(new float[] { 1, 2 }, back.Points[0].Vectors[0]);
    }
}
