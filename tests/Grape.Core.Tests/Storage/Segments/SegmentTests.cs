using System.Text;
using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;
using static Grape.Core.Tests.Storage.Segments.SegmentTestKit;

namespace Grape.Core.Tests.Storage.Segments;

public class SegmentTests
{
    [Fact]
    public void Points_round_trip_with_two_named_vectors_mixed_ids_and_payloads()
    {
        using var temp = new TempFolder();
        using Segment segment = Segment.CreateAppendable(temp.Sub("seg"), TwoVectors, Tiny);
        Assert.True(segment.IsAppendable);
        for (int key = 0; key < 300; key++) Assert.Equal((uint)key, Put(segment, key, (ulong)key + 10));

        Assert.Equal(300, segment.SlotCount);
        Assert.Equal(300, segment.LivePointCount);
        for (int key = 0; key < 300; key++)
        {
            Assert.True(segment.TryGetOffset(IdOf(key), out uint offset));
            Assert.Equal(IdOf(key), segment.GetId(offset));
            Assert.Equal((ulong)key + 10, segment.GetVersion(offset));
            Assert.False(segment.IsDeleted(offset));
            float[]?[] expected = VectorsOf(key, (ulong)key + 10);
            Assert.Equal(expected[0], segment.GetVector(offset, 0).ToArray());
            Assert.Equal(key % 3 != 0, segment.HasVector(offset, 1));
            Assert.Equal(expected[1] ?? [], segment.GetVector(offset, 1).ToArray());
            Assert.Equal(PayloadOf(key, (ulong)key + 10), Encoding.UTF8.GetString(segment.GetPayload(offset)));
        }
        Assert.False(segment.TryGetOffset(PointId.FromNumber(999_999), out _));
        Assert.False(segment.TryGetOffset(PointId.FromUuid(Guid.NewGuid()), out _));
        // A number and a UUID never collide even when their bits look alike.
        Assert.False(segment.TryGetOffset(PointId.FromUuid(new Guid(new byte[16])), out _));

        long withSecond = Enumerable.Range(0, 300).Count(k => k % 3 != 0);
        Assert.Equal(300L * 4 * 4 + withSecond * 3 * 4, segment.VectorBytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => segment.GetVector(300, 0).Length);
    }

    [Fact]
    public void Overwrite_takes_a_new_slot_and_marks_the_old_one_deleted()
    {
        using var temp = new TempFolder();
        using Segment segment = Segment.CreateAppendable(temp.Sub("seg"), TwoVectors, Tiny);
        uint first = Put(segment, 4, 1);
        uint other = Put(segment, 5, 2);
        uint second = Put(segment, 4, 3);

        Assert.NotEqual(first, second);
        Assert.True(segment.IsDeleted(first));
        Assert.False(segment.IsDeleted(second));
        Assert.False(segment.IsDeleted(other));
        Assert.True(segment.TryGetOffset(IdOf(4), out uint live));
        Assert.Equal(second, live);
        Assert.Equal(3UL, segment.GetVersion(live));
        Assert.Equal(1UL, segment.GetVersion(first)); // the old slot's data never changes
        Assert.Equal(VectorsOf(4, 1)[0], segment.GetVector(first, 0).ToArray());
        Assert.Equal(2, segment.LivePointCount);
        Assert.Equal(3, segment.SlotCount);

        Assert.True(segment.Delete(IdOf(4)));
        Assert.False(segment.Delete(IdOf(4)));
        Assert.True(segment.IsDeleted(second));
        Assert.False(segment.TryGetOffset(IdOf(4), out _));
        Assert.Equal(1, segment.LivePointCount);
        AssertIdMapMatchesSlots(segment);
    }

    [Fact]
    public void Flush_and_reopen_restore_identical_state()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        List<SlotState> before;
        Guid id;
        using (Segment segment = Segment.CreateAppendable(dir, TwoVectors, Tiny))
        {
            for (int key = 0; key < 500; key++) Put(segment, key, (ulong)key);
            for (int key = 0; key < 500; key += 4) Put(segment, key, 1000 + (ulong)key); // overwrites
            for (int key = 1; key < 500; key += 9) segment.Delete(IdOf(key));
            segment.Flush();
            before = Capture(segment);
            id = segment.Id;
        }
        using (Segment reopened = Segment.Open(dir, Tiny))
        {
            Assert.Equal(id, reopened.Id);
            Assert.True(reopened.IsAppendable);
            Assert.Equal(TwoVectors, reopened.Vectors);
            AssertSame(before, Capture(reopened));
            AssertIdMapMatchesSlots(reopened);

            // Writing continues after the reopened prefix, across new chunks, and survives another cycle.
            for (int key = 500; key < 700; key++) Put(reopened, key, (ulong)key);
            reopened.Delete(IdOf(2));
            reopened.Flush();
            before = Capture(reopened);
        }
        using (Segment again = Segment.Open(dir))
        {
            AssertSame(before, Capture(again));
            AssertIdMapMatchesSlots(again);
        }
    }

    [Fact]
    public void Writes_after_the_last_flush_are_gone_after_reopen_without_flush()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        List<SlotState> flushed;
        using (Segment segment = Segment.CreateAppendable(dir, TwoVectors, Tiny))
        {
            for (int key = 0; key < 200; key++) Put(segment, key, (ulong)key);
            segment.Delete(IdOf(3));
            segment.Flush();
            flushed = Capture(segment);

            // Not flushed: new points, an overwrite (marks an old slot deleted), deletes. Dispose does not flush: a crash.
            for (int key = 200; key < 300; key++) Put(segment, key, (ulong)key);
            Put(segment, 10, 999);
            segment.Delete(IdOf(11));
        }
        File.WriteAllText(Path.Combine(dir, "manifest.json.tmp"), "torn"); // a flush that died before its rename
        File.WriteAllBytes(Path.Combine(dir, "deleted.7.bin"), new byte[8]);

        using (Segment reopened = Segment.Open(dir, Tiny))
        {
            AssertSame(flushed, Capture(reopened));
            Assert.True(reopened.TryGetOffset(IdOf(10), out uint ten));
            Assert.Equal(10UL, reopened.GetVersion(ten));
            Assert.True(reopened.TryGetOffset(IdOf(11), out _));
            Assert.False(reopened.TryGetOffset(IdOf(250), out _));
            Assert.False(File.Exists(Path.Combine(dir, "deleted.7.bin")));

            // The slots past the flush are reused: stale data there (a second vector, a payload) must not leak through.
            reopened.Upsert(5000, IdOf(250), [[1, 2, 3, 4], null], default);
            reopened.Flush();
        }
        using (Segment again = Segment.Open(dir))
        {
            Assert.True(again.TryGetOffset(IdOf(250), out uint offset));
            Assert.Equal(200u, offset);
            Assert.False(again.HasVector(offset, 1));
            Assert.True(again.GetPayload(offset).IsEmpty);
            Assert.Equal(5000UL, again.GetVersion(offset));
        }
    }

    [Fact]
    public void Large_payloads_and_growth_cross_many_chunks()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        var specs = new[] { new SegmentVectorSpec("v", 5, OnDisk: false) }; // 20-byte vectors: 2 per 64-byte chunk
        var expected = new Dictionary<int, (float[] Vector, string Payload)>();
        using (Segment segment = Segment.CreateAppendable(dir, specs, Tiny))
        {
            var random = new Random(7);
            for (int key = 0; key < 400; key++)
            {
                float[] v = [key, random.NextSingle(), 2, 3, -key];
                string payload = "{\"k\":\"" + new string((char)('a' + key % 26), random.Next(0, 300)) + "\"}";
                segment.Upsert((ulong)key, PointId.FromNumber((ulong)key), [v], Encoding.UTF8.GetBytes(payload));
                expected[key] = (v, payload);
            }
            Check(segment);
            segment.Flush();
        }
        using (Segment reopened = Segment.Open(dir, Tiny)) Check(reopened);

        void Check(Segment s)
        {
            foreach ((int key, (float[] vector, string payload)) in expected)
            {
                Assert.True(s.TryGetOffset(PointId.FromNumber((ulong)key), out uint offset));
                Assert.Equal(vector, s.GetVector(offset, 0).ToArray());
                Assert.Equal(payload, Encoding.UTF8.GetString(s.GetPayload(offset)));
            }
        }
    }

    [Fact]
    public void Immutable_segment_refuses_upserts_and_persists_deletes_at_flush()
    {
        using var temp = new TempFolder();
        using Segment source = Segment.CreateAppendable(temp.Sub("src"), TwoVectors, Tiny);
        for (int key = 0; key < 50; key++) Put(source, key, (ulong)key);
        string dir = temp.Sub("imm");
        using (var builder = new SegmentBuilder(dir, TwoVectors))
        {
            for (uint s = 0; s < 50; s++) builder.Add(source, s);
            using Segment built = builder.Build();
            Assert.False(built.IsAppendable);
            Assert.Throws<InvalidOperationException>(() => Put(built, 1000, 1));
            Assert.True(built.Delete(IdOf(7)));
            Assert.True(built.Delete(IdOf(8)));
            built.Flush();
            Assert.True(built.Delete(IdOf(9))); // not flushed
        }
        using Segment reopened = Segment.Open(dir);
        Assert.False(reopened.TryGetOffset(IdOf(7), out _));
        Assert.False(reopened.TryGetOffset(IdOf(8), out _));
        Assert.True(reopened.TryGetOffset(IdOf(9), out _));
        Assert.Equal(48, reopened.LivePointCount);
        AssertIdMapMatchesSlots(reopened);
    }

    [Fact]
    public void Corrupted_manifest_throws_StorageCorruptedException()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        CreateFlushed(dir, points: 20);
        string manifest = Path.Combine(dir, "manifest.json");
        string good = File.ReadAllText(manifest);

        File.WriteAllText(manifest, good[..(good.Length / 2)]);
        Assert.Throws<StorageCorruptedException>(() => Segment.Open(dir).Dispose());
        File.WriteAllText(manifest, good.Replace("\"format_version\": 1", "\"format_version\": 99", StringComparison.Ordinal));
        Assert.Throws<StorageCorruptedException>(() => Segment.Open(dir).Dispose());
        File.WriteAllText(manifest, good.Replace("\"slot_count\": 20", "\"slot_count\": 2000", StringComparison.Ordinal));
        Assert.Throws<StorageCorruptedException>(() => Segment.Open(dir).Dispose());
        File.WriteAllBytes(manifest, [0xFF, 0x00, 0x13]);
        Assert.Throws<StorageCorruptedException>(() => Segment.Open(dir).Dispose());
        File.Delete(manifest);
        Assert.Throws<StorageCorruptedException>(() => Segment.Open(dir).Dispose());

        File.WriteAllText(manifest, good);
        using (Segment.Open(dir)) { } // the good manifest still opens
        File.Delete(Path.Combine(dir, "payload", "index.bin"));
        Assert.Throws<StorageCorruptedException>(() => Segment.Open(dir).Dispose());
    }

    [Fact]
    public void Truncated_data_file_throws_StorageCorruptedException()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        CreateFlushed(dir, points: 20);
        using (var fs = new FileStream(Path.Combine(dir, "ids.bin"), FileMode.Open)) fs.SetLength(100);
        Assert.Throws<StorageCorruptedException>(() => Segment.Open(dir).Dispose());
    }

    [Fact]
    public void Delete_files_removes_the_folder()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        Segment segment = Segment.CreateAppendable(dir, TwoVectors, Tiny);
        Put(segment, 1, 1);
        segment.DeleteFiles();
        Assert.False(Directory.Exists(dir));
        Assert.Throws<ObjectDisposedException>(() => Put(segment, 2, 1));
    }

    [Fact]
    public void Create_refuses_a_folder_holding_a_segment_and_bad_specs()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        Segment.CreateAppendable(dir, TwoVectors).Dispose();
        Assert.Throws<IOException>(() => Segment.CreateAppendable(dir, TwoVectors));
        Assert.Throws<ArgumentException>(() => Segment.CreateAppendable(temp.Sub("b"), [new("a", 0, false)]));
        Assert.Throws<ArgumentException>(() => Segment.CreateAppendable(temp.Sub("c"), [new("a", 2, false), new("a", 3, false)]));
        using Segment s = Segment.Open(dir);
        Assert.Throws<ArgumentException>(() => s.Upsert(1, PointId.FromNumber(1), [[1f, 2f], null], default));
        Assert.Throws<ArgumentException>(() => s.Upsert(1, PointId.FromNumber(1), [null], default));
        Assert.Equal(0, s.SlotCount);
    }
}
