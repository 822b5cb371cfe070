using System.Buffers;
using System.Buffers.Binary;
using Grape.Core.Errors;
using Grape.Core.Storage.Mmap;
using Grape.Core.Storage.Segments;
using Microsoft.Win32.SafeHandles;

namespace Grape.Core.Storage.Payload;

internal sealed unsafe partial class PayloadStorage
{
    public const int RefBytes = 16;
    private const int BatchRefs = 4096;

    public static void CreateFiles(string blobPath, string indexPath)
    {
        File.Create(blobPath).Dispose();
        File.Create(indexPath).Dispose();
    }

    public static void EncodeRef(Span<byte> record, PayloadRef r)
    {
        BinaryPrimitives.WriteInt64LittleEndian(record, r.Offset);
        BinaryPrimitives.WriteInt32LittleEndian(record[8..], r.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record[12..], 0);
    }

    /// <summary>
    /// Opens the payloads of <paramref name="slotCount"/> slots whose blobs use <paramref name="payloadBytes"/> bytes.
    /// <paramref name="chunkBytes"/> &gt; 0 (a power of two): appendable; 0: immutable, exact-size read-only file.
    /// </summary>
    public static PayloadStorage Open(string blobPath, string indexPath, int chunkBytes, int slotCount, long payloadBytes, int slotChunkShift)
    {
        long blobLength = FileIo.Length(blobPath);
        if (FileIo.Length(indexPath) < (long)slotCount * RefBytes) ThrowHelper.Corrupted($"Payload index `{indexPath}` is shorter than {slotCount} entries");
        if (chunkBytes > 0 ? blobLength < payloadBytes : blobLength != payloadBytes)
            ThrowHelper.Corrupted($"Payload file `{blobPath}` has {blobLength} bytes, the manifest records {payloadBytes}");

        var refs = new ChunkedArray<PayloadRef>(slotChunkShift);
        if (slotCount > 0) refs.EnsureCapacity((uint)slotCount - 1);
        ReadRefs(indexPath, refs, slotCount, payloadBytes);

        ChunkedMappedFile blobs;
        int shift;
        int chunks;
        if (chunkBytes > 0)
        {
            blobs = ChunkedMappedFile.Open(blobPath, chunkBytes, writable: true);
            shift = ShiftOf(chunkBytes);
            chunks = (int)((payloadBytes + chunkBytes - 1) >> shift);
        }
        else
        {
            blobs = ChunkedMappedFile.Open(blobPath, Math.Max(1, payloadBytes), writable: false);
            shift = 62; // every offset of an immutable file is in chunk 0
            chunks = payloadBytes > 0 ? 1 : 0;
        }
        try
        {
            // Mapping the whole flushed prefix as one view keeps every blob written before the reopen inside one view.
            if (chunks > 0) blobs.MapNext(chunks);
            return new PayloadStorage(blobs, refs, indexPath, shift, payloadBytes);
        }
        catch
        {
            blobs.Dispose();
            throw;
        }
    }

    private static void ReadRefs(string indexPath, ChunkedArray<PayloadRef> refs, int slotCount, long payloadBytes)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BatchRefs * RefBytes);
        try
        {
            using SafeFileHandle file = File.OpenHandle(indexPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            for (int start = 0; start < slotCount; start += BatchRefs)
            {
                int n = Math.Min(BatchRefs, slotCount - start);
                FileIo.ReadExactly(file, buffer.AsSpan(0, n * RefBytes), (long)start * RefBytes, indexPath);
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<byte> rec = buffer.AsSpan(i * RefBytes, RefBytes);
                    long offset = BinaryPrimitives.ReadInt64LittleEndian(rec);
                    int length = BinaryPrimitives.ReadInt32LittleEndian(rec[8..]);
                    if (length < 0 || offset < 0 || offset > payloadBytes - length)
                        ThrowHelper.Corrupted($"Payload index `{indexPath}` points outside the blob file at slot {start + i}");
                    refs[(uint)(start + i)] = length == 0 ? default : new PayloadRef(offset, length);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Makes slots [<paramref name="from"/>, <paramref name="to"/>) durable: their blobs (bytes
    /// [<paramref name="bytesFrom"/>, <paramref name="bytesTo"/>), msync + fsync), then their index entries (fsync).</summary>
    public void Persist(uint from, uint to, long bytesFrom, long bytesTo)
    {
        if (bytesTo > bytesFrom)
            _blobs.FlushChunks((int)(bytesFrom >> _chunkShift), (int)((bytesTo - 1) >> _chunkShift));
        if (to <= from) return;

        byte[] buffer = ArrayPool<byte>.Shared.Rent(BatchRefs * RefBytes);
        try
        {
            using FileStream fs = FileIo.OpenForWrite(_indexPath);
            for (uint s = from; s < to;)
            {
                int n = (int)Math.Min(BatchRefs, to - s);
                for (int i = 0; i < n; i++) EncodeRef(buffer.AsSpan(i * RefBytes, RefBytes), _refs[s + (uint)i]);
                RandomAccess.Write(fs.SafeFileHandle, buffer.AsSpan(0, n * RefBytes), (long)s * RefBytes);
                s += (uint)n;
            }
            fs.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
