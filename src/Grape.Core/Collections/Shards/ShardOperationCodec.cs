using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Grape.Core.Errors;
using Grape.Core.Points;

namespace Grape.Core.Collections.Shards;

/// <summary>
/// Binary encoding of <see cref="ShardOperation"/> for the WAL: little-endian, length-prefixed, vectors as raw
/// float32 (one copy, no per-float work), so logging a batch costs about a memcpy of its data.
/// </summary>
internal static class ShardOperationCodec
{
    private const byte Version = 1;

    private enum Kind : byte { Upsert = 1, Delete = 2, SetPayload = 3, DeletePayload = 4, ClearPayload = 5, UpdateVectors = 6, DeleteVectors = 7, CreateFieldIndex = 8, DeleteFieldIndex = 9 }

    public static void Encode(ShardOperation op, IBufferWriter<byte> output)
    {
        var w = new Writer(output);
        w.Byte(Version);
        switch (op)
        {
            case ShardOperation.Upsert u: w.Byte((byte)Kind.Upsert); WritePoints(ref w, u.Points); break;
            case ShardOperation.Delete d: w.Byte((byte)Kind.Delete); WriteIds(ref w, d.Ids); break;
            case ShardOperation.SetPayload s:
                w.Byte((byte)Kind.SetPayload); WriteIds(ref w, s.Ids); w.Bytes(s.PayloadJson); w.String(s.Key); w.Byte(s.Overwrite ? (byte)1 : (byte)0);
                break;
            case ShardOperation.DeletePayload dp:
                w.Byte((byte)Kind.DeletePayload); WriteIds(ref w, dp.Ids); w.Int(dp.Keys.Length);
                foreach (var k in dp.Keys) w.String(k);
                break;
            case ShardOperation.ClearPayload c: w.Byte((byte)Kind.ClearPayload); WriteIds(ref w, c.Ids); break;
            case ShardOperation.UpdateVectors uv: w.Byte((byte)Kind.UpdateVectors); WritePoints(ref w, uv.Points); break;
            case ShardOperation.DeleteVectors dv:
                w.Byte((byte)Kind.DeleteVectors); WriteIds(ref w, dv.Ids); w.Int(dv.VectorIndexes.Length);
                foreach (var i in dv.VectorIndexes) w.Int(i);
                break;
            case ShardOperation.CreateFieldIndex ci:
                w.Byte((byte)Kind.CreateFieldIndex); w.String(ci.Key); w.String(ci.Schema.ToJson().ToJsonString());
                break;
            case ShardOperation.DeleteFieldIndex di: w.Byte((byte)Kind.DeleteFieldIndex); w.String(di.Key); break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    /// <summary>The exact encoded size of an operation's points (0 for other kinds), so the buffer is sized once.</summary>
    public static int EstimateSize(ShardOperation op)
    {
        ShardPoint[]? points = op switch { ShardOperation.Upsert u => u.Points, ShardOperation.UpdateVectors v => v.Points, _ => null };
        if (points is null) return 256;
        long size = 16;
        foreach (var p in points)
        {
            size += 17 + 4 + 4 + p.PayloadJson.Length;
            foreach (var v in p.Vectors) size += 4 + (v is null ? 0 : 4L * v.Length);
        }
        return (int)Math.Min(size, int.MaxValue / 2);
    }

    public static ShardOperation Decode(ReadOnlySpan<byte> data)
    {
        try
        {
            var r = new Reader(data);
            if (r.Byte() != Version) throw new StorageCorruptedException("Unknown WAL operation format version");
            return (Kind)r.Byte() switch
            {
                Kind.Upsert => new ShardOperation.Upsert(ReadPoints(ref r)),
                Kind.Delete => new ShardOperation.Delete(ReadIds(ref r)),
                Kind.SetPayload => new ShardOperation.SetPayload(ReadIds(ref r), r.Bytes(), r.String(), r.Byte() != 0),
                Kind.DeletePayload => ReadDeletePayload(ref r),
                Kind.ClearPayload => new ShardOperation.ClearPayload(ReadIds(ref r)),
                Kind.UpdateVectors => new ShardOperation.UpdateVectors(ReadPoints(ref r)),
                Kind.DeleteVectors => ReadDeleteVectors(ref r),
                Kind.CreateFieldIndex => new ShardOperation.CreateFieldIndex(r.String()!,
                    Indexing.Payload.PayloadFieldSchema.FromJson(System.Text.Json.Nodes.JsonNode.Parse(r.String()!))),
                Kind.DeleteFieldIndex => new ShardOperation.DeleteFieldIndex(r.String()!),
                var k => throw new StorageCorruptedException($"Unknown WAL operation kind {(byte)k}"),
            };
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new StorageCorruptedException("Truncated WAL operation", e);
        }
    }

    private static ShardOperation ReadDeletePayload(ref Reader r)
    {
        var ids = ReadIds(ref r);
        var keys = new string[r.Int()];
        for (int i = 0; i < keys.Length; i++) keys[i] = r.String()!;
        return new ShardOperation.DeletePayload(ids, keys);
    }

    private static ShardOperation ReadDeleteVectors(ref Reader r)
    {
        var ids = ReadIds(ref r);
        var idx = new int[r.Int()];
        for (int i = 0; i < idx.Length; i++) idx[i] = r.Int();
        return new ShardOperation.DeleteVectors(ids, idx);
    }

    private static void WritePoints(ref Writer w, ShardPoint[] points)
    {
        w.Int(points.Length);
        foreach (var p in points)
        {
            WriteId(ref w, p.Id);
            w.Int(p.Vectors.Length);
            foreach (var v in p.Vectors)
            {
                if (v is null) { w.Int(-1); continue; }
                w.Int(v.Length);
                w.Raw(MemoryMarshal.AsBytes(v.AsSpan()));
            }
            w.Bytes(p.PayloadJson);
        }
    }

    private static ShardPoint[] ReadPoints(ref Reader r)
    {
        var points = new ShardPoint[r.Int()];
        for (int i = 0; i < points.Length; i++)
        {
            var id = ReadId(ref r);
            var vectors = new float[]?[r.Int()];
            for (int j = 0; j < vectors.Length; j++)
            {
                int len = r.Int();
                if (len < 0) continue;
                var v = new float[len];
                r.Raw(MemoryMarshal.AsBytes(v.AsSpan()));
                vectors[j] = v;
            }
            points[i] = new ShardPoint(id, vectors, r.Bytes());
        }
        return points;
    }

    private static void WriteIds(ref Writer w, PointId[] ids)
    {
        w.Int(ids.Length);
        foreach (var id in ids) WriteId(ref w, id);
    }

    private static PointId[] ReadIds(ref Reader r)
    {
        var ids = new PointId[r.Int()];
        for (int i = 0; i < ids.Length; i++) ids[i] = ReadId(ref r);
        return ids;
    }

    private static void WriteId(ref Writer w, PointId id)
    {
        if (id.IsUuid)
        {
            w.Byte(1);
            Span<byte> b = stackalloc byte[16];
            id.Uuid.TryWriteBytes(b);
            w.Raw(b);
        }
        else
        {
            w.Byte(0);
            w.ULong(id.Number);
        }
    }

    private static PointId ReadId(ref Reader r)
    {
        if (r.Byte() == 0) return PointId.FromNumber(r.ULong());
        Span<byte> b = stackalloc byte[16];
        r.Raw(b);
        return PointId.FromUuid(new Guid(b));
    }

    private ref struct Writer(IBufferWriter<byte> output)
    {
        public void Byte(byte v) { output.GetSpan(1)[0] = v; output.Advance(1); }
        public void Int(int v) { BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), v); output.Advance(4); }
        public void ULong(ulong v) { BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(8), v); output.Advance(8); }
        public void Raw(scoped ReadOnlySpan<byte> v) { v.CopyTo(output.GetSpan(v.Length)); output.Advance(v.Length); }
        public void Bytes(scoped ReadOnlySpan<byte> v) { Int(v.Length); Raw(v); }
        public void String(string? s)
        {
            if (s is null) { Int(-1); return; }
            int n = Encoding.UTF8.GetByteCount(s);
            Int(n);
            Encoding.UTF8.GetBytes(s, output.GetSpan(n));
            output.Advance(n);
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || _pos + n > _data.Length) throw new ArgumentOutOfRangeException(nameof(n));
            var s = _data.Slice(_pos, n);
            _pos += n;
            return s;
        }

        public byte Byte() => Take(1)[0];
        public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
        public ulong ULong() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));
        public void Raw(scoped Span<byte> into) => Take(into.Length).CopyTo(into);
        public byte[] Bytes() => Take(Int()).ToArray();
        public string? String()
        {
            int n = Int();
            return n < 0 ? null : Encoding.UTF8.GetString(Take(n));
        }
    }
}
