using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Tests.Storage.Segments;

public class SegmentConcurrencyTests
{
    private const int Dim = 8;

    private static string Payload(ulong key, ulong version) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"id\":{key},\"version\":{version}}}");

    [Fact]
    public void Readers_see_self_consistent_points_while_one_writer_appends_200k()
    {
        const int Points = 200_000;
        using var temp = new TempFolder();
        var options = new SegmentStorageOptions { VectorChunkBytes = 16384, PayloadChunkBytes = 16384, SlotChunkShift = 10 };
        using Segment segment = Segment.CreateAppendable(temp.Sub("seg"), [new SegmentVectorSpec("v", Dim, OnDisk: false)], options);

        int written = 0; // keys 0..written-1 are live
        bool done = false;
        var failures = new ConcurrentQueue<string>();
        long reads = 0;

        void Fail(string message)
        {
            if (failures.Count < 20) failures.Enqueue(message);
        }

        void Reader(int seed)
        {
            var random = new Random(seed);
            long local = 0;
            while (!Volatile.Read(ref done) && failures.IsEmpty)
            {
                int n = Volatile.Read(ref written);
                if (n == 0) continue;
                // By id: the id must be found (nothing is deleted), and the slot's parts must agree with each other.
                ulong key = (ulong)random.Next(n);
                if (!segment.TryGetOffset(PointId.FromNumber(key), out uint offset)) { Fail($"key {key} not found"); continue; }
                CheckSlot(offset, key);
                // By slot, as a scan would: any published slot is complete.
                int count = segment.SlotCount;
                uint slot = (uint)random.Next(count);
                CheckSlot(slot, segment.GetId(slot).Number);
                local += 2;
            }
            Interlocked.Add(ref reads, local);
        }

        void CheckSlot(uint offset, ulong key)
        {
            if (segment.GetId(offset) != PointId.FromNumber(key)) { Fail($"slot {offset}: id {segment.GetId(offset)} != {key}"); return; }
            ulong version = segment.GetVersion(offset);
            ReadOnlySpan<float> v = segment.GetVector(offset, 0);
            if (v.Length != Dim || v[0] != key || v[1] != version || v[Dim - 1] != key + 1)
            {
                Fail($"slot {offset}: vector does not match key {key} version {version}");
                return;
            }
            string payload = Encoding.UTF8.GetString(segment.GetPayload(offset));
            if (payload != Payload(key, version)) Fail($"slot {offset}: payload `{payload}` for key {key} version {version}");
        }

        Thread[] readers = [.. Enumerable.Range(0, 2).Select(i => new Thread(() => Reader(i)) { IsBackground = true })];
        foreach (Thread t in readers) t.Start();
        var vector = new float[Dim];
        ulong opNum = 0;
        for (int key = 0; key < Points; key++)
        {
            Write((ulong)key);
            Volatile.Write(ref written, key + 1);
            if (key % 10 == 9) Write((ulong)(key / 2)); // an overwrite of an older point
        }
        Volatile.Write(ref done, true);
        foreach (Thread t in readers) t.Join();

        Assert.Empty(failures);
        Assert.True(reads > 0);
        Assert.Equal(Points, segment.LivePointCount);
        Assert.Equal(Points + Points / 10, segment.SlotCount);
        SegmentTestKit.AssertIdMapMatchesSlots(segment);

        void Write(ulong key)
        {
            opNum++;
            vector.AsSpan().Fill(0);
            vector[0] = key;
            vector[1] = opNum;
            vector[Dim - 1] = key + 1;
            segment.Upsert(opNum, PointId.FromNumber(key), [vector], Encoding.UTF8.GetBytes(Payload(key, opNum)));
        }
    }

    [Fact]
    public void Flushes_from_another_thread_during_writes_persist_a_consistent_prefix()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        var options = new SegmentStorageOptions { VectorChunkBytes = 1024, PayloadChunkBytes = 1024, SlotChunkShift = 6 };
        List<SlotState> final;
        using (Segment segment = Segment.CreateAppendable(dir, [new SegmentVectorSpec("v", Dim, OnDisk: true)], options))
        {
            bool done = false;
            var writer = new Thread(() =>
            {
                var vector = new float[Dim];
                for (ulong op = 1; op <= 20_000; op++)
                {
                    ulong key = op % 3_000;
                    vector[0] = key;
                    vector[1] = op;
                    vector[Dim - 1] = key + 1;
                    segment.Upsert(op, PointId.FromNumber(key), [vector], Encoding.UTF8.GetBytes(Payload(key, op)));
                    if (op % 7 == 0) segment.Delete(PointId.FromNumber((op * 13) % 3_000));
                }
                Volatile.Write(ref done, true);
            });
            writer.Start();
            int flushes = 0;
            while (!Volatile.Read(ref done) || flushes == 0)
            {
                segment.Flush();
                flushes++;
            }
            writer.Join();
            final = SegmentTestKit.Capture(segment);
        } // no flush after the writer stopped: the last flush caught it somewhere in the middle (or at the end)

        using Segment reopened = Segment.Open(dir);
        List<SlotState> prefix = SegmentTestKit.Capture(reopened);
        Assert.InRange(prefix.Count, 1, final.Count);
        var newest = new Dictionary<PointId, ulong>();
        for (int i = 0; i < prefix.Count; i++)
        {
            Assert.Equal(final[i].Id, prefix[i].Id);
            Assert.Equal(final[i].Version, prefix[i].Version);
            Assert.Equal(final[i].Vectors[0], prefix[i].Vectors[0]);
            Assert.Equal(final[i].Payload, prefix[i].Payload);
            newest[prefix[i].Id] = prefix[i].Version;
        }
        // An overwrite's deleted mark never lands without its new slot: a live point is always its newest slot.
        for (uint s = 0; s < (uint)reopened.SlotCount; s++)
        {
            if (!reopened.IsDeleted(s)) Assert.Equal(newest[reopened.GetId(s)], reopened.GetVersion(s));
        }
        SegmentTestKit.AssertIdMapMatchesSlots(reopened);
    }
}
