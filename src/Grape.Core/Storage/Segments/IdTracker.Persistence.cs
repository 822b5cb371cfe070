using System.Buffers;
using System.Buffers.Binary;
using Grape.Core.Errors;
using Grape.Core.Points;
using Microsoft.Win32.SafeHandles;

namespace Grape.Core.Storage.Segments;

// ids.bin: one 32-byte record per slot, append-only: [0] kind (0 number, 1 uuid), [1..8) zero,
// [8..24) the id (u64 LE then zeros, or the Guid's 16 bytes as Guid.TryWriteBytes writes them), [24..32) version u64 LE.
// deleted.<generation>.bin: the deleted bits as u64 LE words, rewritten whole under a new name by a flush that saw a
// new delete mark; the manifest names the generation in force, so a crash between the two files keeps the old pair.
internal sealed partial class IdTracker
{
    public const int RecordBytes = 32;
    private const int BatchRecords = 2048;

    public static void Encode(Span<byte> record, PointId id, ulong version)
    {
        record[..RecordBytes].Clear();
        if (id.IsUuid)
        {
            record[0] = 1;
            id.Uuid.TryWriteBytes(record.Slice(8, 16));
        }
        else
        {
            BinaryPrimitives.WriteUInt64LittleEndian(record[8..], id.Number);
        }
        BinaryPrimitives.WriteUInt64LittleEndian(record[24..], version);
    }

    private static SlotIdentity Decode(ReadOnlySpan<byte> record, long slot, string path)
    {
        PointId id = record[0] switch
        {
            0 => PointId.FromNumber(BinaryPrimitives.ReadUInt64LittleEndian(record[8..])),
            1 => PointId.FromUuid(new Guid(record.Slice(8, 16))),
            _ => Corrupt(path, slot),
        };
        return new SlotIdentity(id, BinaryPrimitives.ReadUInt64LittleEndian(record[24..]));
    }

    private static PointId Corrupt(string path, long slot)
    {
        ThrowHelper.Corrupted($"Id file `{path}` has an invalid id kind at slot {slot}");
        return default;
    }

    /// <summary>Writes the records of slots [<paramref name="from"/>, <paramref name="to"/>) at their place (no fsync).</summary>
    public void WriteSlots(SafeFileHandle file, uint from, uint to)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BatchRecords * RecordBytes);
        try
        {
            for (uint s = from; s < to;)
            {
                int n = (int)Math.Min(BatchRecords, to - s);
                for (int i = 0; i < n; i++)
                {
                    ref readonly SlotIdentity slot = ref _slots[s + (uint)i];
                    Encode(buffer.AsSpan(i * RecordBytes, RecordBytes), slot.Id, slot.Version);
                }
                RandomAccess.Write(file, buffer.AsSpan(0, n * RecordBytes), (long)s * RecordBytes);
                s += (uint)n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Loads <paramref name="slotCount"/> slots and the deleted bits, and rebuilds the id maps from the live ones.</summary>
    public static IdTracker Load(string idsPath, string? deletedPath, int slotCount, int slotChunkShift)
    {
        if (FileIo.Length(idsPath) < (long)slotCount * RecordBytes)
            ThrowHelper.Corrupted($"Id file `{idsPath}` is shorter than {slotCount} records");
        var tracker = new IdTracker(slotChunkShift, slotCount);
        if (slotCount > 0) tracker.Reserve((uint)slotCount - 1);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BatchRecords * RecordBytes);
        try
        {
            using SafeFileHandle file = File.OpenHandle(idsPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            for (int start = 0; start < slotCount; start += BatchRecords)
            {
                int n = Math.Min(BatchRecords, slotCount - start);
                FileIo.ReadExactly(file, buffer.AsSpan(0, n * RecordBytes), (long)start * RecordBytes, idsPath);
                for (int i = 0; i < n; i++)
                    tracker._slots[(uint)(start + i)] = Decode(buffer.AsSpan(i * RecordBytes, RecordBytes), start + i, idsPath);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (deletedPath is not null)
            tracker._deleted.LoadWords(FileIo.ReadWords(deletedPath, (slotCount + 63) >> 6), slotCount);

        int live = 0;
        for (uint s = 0; s < (uint)slotCount; s++)
        {
            if (tracker._deleted.Get(s)) continue;
            PointId id = tracker._slots[s].Id;
            if (tracker.TryGetOffset(id, out uint other))
            {
                // Two live slots of one id cannot come from our own flushes; keep the newer write, as the holder would.
                bool keepOther = tracker._slots[other].Version > tracker._slots[s].Version;
                tracker.MarkDeleted(keepOther ? s : other);
                if (keepOther) continue;
            }
            else
            {
                live++;
            }
            if (id.IsUuid) tracker._uuids[id.Uuid] = s;
            else tracker._numbers[id.Number] = s;
        }
        tracker._liveCount = live;
        return tracker;
    }
}
