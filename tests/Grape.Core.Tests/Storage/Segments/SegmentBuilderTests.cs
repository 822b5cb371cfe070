using System.Text;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;
using static Grape.Core.Tests.Storage.Segments.SegmentTestKit;

namespace Grape.Core.Tests.Storage.Segments;

public class SegmentBuilderTests
{
    [Fact]
    public void Merge_of_two_segments_keeps_exactly_their_live_points()
    {
        using var temp = new TempFolder();
        using Segment a = Segment.CreateAppendable(temp.Sub("a"), TwoVectors, Tiny);
        using Segment b = Segment.CreateAppendable(temp.Sub("b"), [TwoVectors[1], TwoVectors[0]], Tiny); // other column order
        for (int key = 0; key < 120; key++) Put(a, key, (ulong)key);
        for (int key = 0; key < 30; key += 3) Put(a, key, 500 + (ulong)key); // overwritten slots stay as deleted
        for (int key = 1; key < 120; key += 11) a.Delete(IdOf(key));
        for (int key = 200; key < 260; key++)
        {
            float[]?[] v = VectorsOf(key, (ulong)key);
            b.Upsert((ulong)key, IdOf(key), [v[1], v[0]], Encoding.UTF8.GetBytes(PayloadOf(key, (ulong)key)));
        }
        b.Delete(IdOf(201));

        // The reference: every live point of both sources, by id.
        var expected = new Dictionary<PointId, SlotState>();
        foreach (Segment source in new[] { a, b })
        {
            foreach (SlotState slot in Capture(source))
            {
                if (slot.Deleted) continue;
                float[]?[] vectors = ReferenceEquals(source, b) ? [slot.Vectors[1], slot.Vectors[0]] : slot.Vectors;
                expected.Add(slot.Id, slot with { Vectors = vectors });
            }
        }

        string dir = temp.Sub("merged");
        using (var builder = new SegmentBuilder(dir, TwoVectors))
        {
            foreach (Segment source in new[] { a, b })
            {
                for (uint s = 0; s < (uint)source.SlotCount; s++)
                {
                    if (!source.IsDeleted(s)) builder.Add(source, s);
                }
            }
            using Segment merged = builder.Build();
            CheckMerged(merged);
        }
        using (Segment reopened = Segment.Open(dir)) CheckMerged(reopened);

        // Exactly sized files: no chunk padding in an immutable segment.
        Assert.Equal(expected.Count * 4L * 4, new FileInfo(Path.Combine(dir, "vectors", "0.bin")).Length);
        Assert.Equal(expected.Count * 32L, new FileInfo(Path.Combine(dir, "ids.bin")).Length);
        Assert.Equal(expected.Values.Sum(p => (long)Encoding.UTF8.GetByteCount(p.Payload)),
            new FileInfo(Path.Combine(dir, "payload", "blobs.bin")).Length);

        void CheckMerged(Segment merged)
        {
            Assert.False(merged.IsAppendable);
            Assert.Equal(expected.Count, merged.SlotCount);
            Assert.Equal(expected.Count, merged.LivePointCount);
            List<SlotState> slots = Capture(merged);
            foreach (SlotState slot in slots)
            {
                Assert.False(slot.Deleted);
                SlotState e = expected[slot.Id];
                AssertSame([e], [slot]);
            }
            AssertIdMapMatchesSlots(merged);
        }
    }

    [Fact]
    public void The_higher_version_wins_when_one_id_is_added_twice()
    {
        using var temp = new TempFolder();
        using Segment a = Segment.CreateAppendable(temp.Sub("a"), TwoVectors, Tiny);
        using Segment b = Segment.CreateAppendable(temp.Sub("b"), TwoVectors, Tiny);
        uint older = Put(a, 6, 10);
        uint newer = Put(b, 6, 20);
        uint other = Put(b, 7, 5);
        using var builder = new SegmentBuilder(temp.Sub("m"), TwoVectors);
        builder.Add(b, newer);
        builder.Add(a, older);
        builder.Add(b, other);
        using Segment merged = builder.Build();
        Assert.Equal(3, merged.SlotCount);
        Assert.Equal(2, merged.LivePointCount);
        Assert.True(merged.TryGetOffset(IdOf(6), out uint offset));
        Assert.Equal(20UL, merged.GetVersion(offset));
        Assert.True(merged.IsDeleted(1));
        AssertIdMapMatchesSlots(merged);
    }

    [Fact]
    public void Disposing_without_build_removes_the_partial_folder_and_empty_builds_open()
    {
        using var temp = new TempFolder();
        using Segment a = Segment.CreateAppendable(temp.Sub("a"), TwoVectors, Tiny);
        Put(a, 1, 1);
        string dir = temp.Sub("partial");
        using (var builder = new SegmentBuilder(dir, TwoVectors)) builder.Add(a, 0);
        Assert.False(Directory.Exists(dir));

        using var empty = new SegmentBuilder(temp.Sub("empty"), TwoVectors);
        using Segment built = empty.Build();
        Assert.Equal(0, built.SlotCount);
        Assert.Equal(0L, built.VectorBytes);
    }
}
