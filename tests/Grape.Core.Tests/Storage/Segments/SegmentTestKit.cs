using System.Globalization;
using System.Text;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Tests.Storage.Segments;

/// <summary>A temp folder owned by one test, removed at the end.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => System.IO.Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "grape-test-" + Guid.NewGuid().ToString("N"));

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Path)) System.IO.Directory.Delete(Path, recursive: true);
    }
}

/// <summary>What a test expects of one slot.</summary>
internal sealed record SlotState(PointId Id, ulong Version, bool Deleted, float[]?[] Vectors, string Payload);

internal static class SegmentTestKit
{
    /// <summary>Chunks of a few vectors or bytes, per-slot arrays of 8 slots: a few hundred points cross many chunks.</summary>
    public static readonly SegmentStorageOptions Tiny = new() { VectorChunkBytes = 64, PayloadChunkBytes = 64, SlotChunkShift = 3 };

    public static readonly SegmentVectorSpec[] TwoVectors = [new("dense", 4, OnDisk: false), new("image", 3, OnDisk: true)];

    /// <summary>A deterministic id: numbers for even keys, UUIDs for odd ones.</summary>
    public static PointId IdOf(int key) =>
        key % 2 == 0 ? PointId.FromNumber((ulong)key * 7 + 1) : PointId.FromUuid(new Guid(key, 0x1234, 0x5678, 1, 2, 3, 4, 5, 6, 7, 8));

    /// <summary>Vectors whose values encode the key and version; the second is missing when key % 3 == 0.</summary>
    public static float[]?[] VectorsOf(int key, ulong version) =>
    [
        [key, version, key + 0.5f, -key],
        key % 3 == 0 ? null : [key * 2, version, 1f],
    ];

    /// <summary>A payload mentioning the key and version; empty when key % 5 == 0; long (several tiny chunks) when key % 7 == 0.</summary>
    public static string PayloadOf(int key, ulong version)
    {
        if (key % 5 == 0) return "";
        string s = string.Create(CultureInfo.InvariantCulture, $"{{\"key\":{key},\"version\":{version}");
        if (key % 7 == 0) s += ",\"text\":\"" + new string('x', 150 + key % 50) + "\"";
        return s + "}";
    }

    /// <summary>An appendable segment at <paramref name="dir"/> holding keys 0..points-1 (version 1), flushed and closed.</summary>
    public static void CreateFlushed(string dir, int points)
    {
        using Segment segment = Segment.CreateAppendable(dir, TwoVectors, Tiny);
        for (int key = 0; key < points; key++) Put(segment, key, 1);
        segment.Flush();
    }

    public static uint Put(Segment segment, int key, ulong version) =>
        segment.Upsert(version, IdOf(key), VectorsOf(key, version), Encoding.UTF8.GetBytes(PayloadOf(key, version)));

    /// <summary>Every slot of the segment as plain data.</summary>
    public static List<SlotState> Capture(Segment segment)
    {
        var slots = new List<SlotState>();
        for (uint s = 0; s < (uint)segment.SlotCount; s++)
        {
            var vectors = new float[]?[segment.Vectors.Count];
            for (int c = 0; c < vectors.Length; c++)
            {
                vectors[c] = segment.HasVector(s, c) ? segment.GetVector(s, c).ToArray() : null;
                Assert.Equal(segment.HasVector(s, c), !segment.GetVector(s, c).IsEmpty);
            }
            slots.Add(new SlotState(segment.GetId(s), segment.GetVersion(s), segment.IsDeleted(s), vectors,
                Encoding.UTF8.GetString(segment.GetPayload(s))));
        }
        return slots;
    }

    public static void AssertSame(IReadOnlyList<SlotState> expected, IReadOnlyList<SlotState> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            SlotState e = expected[i], a = actual[i];
            Assert.Equal(e.Id, a.Id);
            Assert.Equal(e.Version, a.Version);
            Assert.True(e.Deleted == a.Deleted, $"slot {i}: deleted {a.Deleted}, expected {e.Deleted}");
            Assert.Equal(e.Payload, a.Payload);
            Assert.Equal(e.Vectors.Length, a.Vectors.Length);
            for (int c = 0; c < e.Vectors.Length; c++) Assert.Equal(e.Vectors[c], a.Vectors[c]);
        }
    }

    /// <summary>Checks the id map against the slots: every live slot is found by its id, deleted ones are not.</summary>
    public static void AssertIdMapMatchesSlots(Segment segment)
    {
        int live = 0;
        for (uint s = 0; s < (uint)segment.SlotCount; s++)
        {
            bool found = segment.TryGetOffset(segment.GetId(s), out uint offset);
            if (segment.IsDeleted(s))
            {
                Assert.True(!found || offset != s, $"deleted slot {s} is still mapped");
                continue;
            }
            live++;
            Assert.True(found && offset == s, $"live slot {s} is not mapped to itself");
        }
        Assert.Equal(live, segment.LivePointCount);
    }
}
