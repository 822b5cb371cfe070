using System.Numerics;
using Grape.Core.Collections;
using Grape.Core.Errors;
using Grape.Core.Storage.Mmap;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Storage.Vectors;

internal sealed unsafe partial class DenseVectorStorage
{
    /// <summary>Creates the empty files of a new column.</summary>
    public static void CreateFiles(string dataPath, string hasPath)
    {
        File.Create(dataPath).Dispose();
        File.Create(hasPath).Dispose();
    }

    /// <summary>
    /// Opens a column holding <paramref name="slotCount"/> slots. <paramref name="chunkSlots"/> &gt; 0: appendable, chunks
    /// of that many vectors (a power of two); the flushed prefix is mapped as one view and later chunks one by one.
    /// <paramref name="chunkSlots"/> = 0: immutable, the file holds exactly <paramref name="slotCount"/> vectors and is
    /// mapped read-only as one chunk.
    /// </summary>
    public static DenseVectorStorage Open(string dataPath, string hasPath, int dimension, VectorDatatype datatype, int chunkSlots, int slotCount,
        bool onDisk, int slotChunkShift)
    {
        int vectorBytes = dimension * VectorEncoding.ElementBytes(datatype);
        int words = (slotCount + 63) >> 6;
        if (FileIo.Length(hasPath) < words * 8L) ThrowHelper.Corrupted($"Has-vector file `{hasPath}` is shorter than {slotCount} bits");
        var has = new ChunkedBitSet(slotChunkShift);
        long stored = has.LoadWords(FileIo.ReadWords(hasPath, words), slotCount);
        long dataLength = FileIo.Length(dataPath);

        ChunkedMappedFile data;
        int slotShift;
        if (chunkSlots > 0)
        {
            slotShift = BitOperations.Log2((uint)chunkSlots);
            data = ChunkedMappedFile.Open(dataPath, (long)chunkSlots * vectorBytes, writable: true);
        }
        else
        {
            long exact = (long)slotCount * vectorBytes;
            if (dataLength != exact) ThrowHelper.Corrupted($"Vector file `{dataPath}` has {dataLength} bytes, expected {exact}");
            slotShift = 31; // every slot of an immutable column is in chunk 0
            data = ChunkedMappedFile.Open(dataPath, Math.Max(1, exact), writable: false);
        }

        try
        {
            CheckHighestVectorIsMapped(data, has, slotCount, slotShift, vectorBytes);
            int chunks = chunkSlots > 0 ? (int)(((long)slotCount + chunkSlots - 1) / chunkSlots) : (slotCount > 0 ? 1 : 0);
            if (chunks > 0) data.MapNext(chunks);
            // In RAM: an immutable column is copied onto huge pages (random reads by every graph search), an appendable
            // one is pre-touched in place (its writer appends through the mapping).
            if (!onDisk && !data.LoadIntoMemory()) data.PreTouch();
            var storage = new DenseVectorStorage(data, has, hasPath, dimension, datatype, slotShift);
            storage._storedCount = stored;
            return storage;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    /// <summary>Makes slots [<paramref name="from"/>, <paramref name="to"/>) durable: msync + fsync of their vector chunks,
    /// then their has-vector words (the first word also holds older slots, rewritten with the same bits).</summary>
    public void Persist(uint from, uint to)
    {
        if (to <= from) return;
        int first = (int)(from >> _slotShift);
        int last = Math.Min((int)((to - 1) >> _slotShift), _data.ChunkCount - 1);
        if (first <= last) _data.FlushChunks(first, last);

        int firstWord = (int)(from >> 6);
        int endWord = (int)((to + 63) >> 6);
        var words = new ulong[endWord - firstWord];
        _has.CopyWords(firstWord, words, (int)to);
        using FileStream fs = FileIo.OpenForWrite(_hasPath);
        FileIo.WriteWords(fs.SafeFileHandle, firstWord * 8L, words);
        fs.Flush(flushToDisk: true);
    }
}
