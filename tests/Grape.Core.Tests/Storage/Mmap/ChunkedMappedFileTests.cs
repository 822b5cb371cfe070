using Grape.Core.Errors;
using Grape.Core.Storage.Mmap;
using Grape.Core.Tests.Storage.Segments;

namespace Grape.Core.Tests.Storage.Mmap;

public unsafe class ChunkedMappedFileTests
{
    [Fact]
    public void Chunk_addresses_stay_put_while_the_file_grows_and_data_reaches_the_file()
    {
        using var temp = new TempFolder();
        string path = temp.Sub("data.bin");
        var addresses = new List<nint>();
        using (ChunkedMappedFile file = ChunkedMappedFile.Open(path, chunkBytes: 100, writable: true))
        {
            for (int c = 0; c < 10; c++)
            {
                file.MapNext(c % 3 + 1); // views of 1, 2 or 3 chunks
                for (int i = addresses.Count; i < file.ChunkCount; i++) addresses.Add(file.Chunks[i]);
                for (int i = 0; i < addresses.Count; i++) Assert.Equal(addresses[i], file.Chunks[i]);
            }
            for (int i = 0; i < file.ChunkCount; i++) new Span<byte>((byte*)file.Chunks[i], 100).Fill((byte)(i + 1));
            file.FlushChunks(0, file.ChunkCount - 1);
            Assert.Equal(file.MappedBytes, file.FileLength);
        }
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(addresses.Count * 100, bytes.Length);
        for (int i = 0; i < bytes.Length; i++) Assert.Equal((byte)(i / 100 + 1), bytes[i]);

        // Read-only: mapping past the end of the file is corruption, not growth.
        using ChunkedMappedFile readOnly = ChunkedMappedFile.Open(path, chunkBytes: bytes.Length, writable: false);
        readOnly.MapNext(1);
        Assert.Equal(7, ((byte*)readOnly.Chunks[0])[650]);
        Assert.Throws<StorageCorruptedException>(() => readOnly.MapNext(1));
    }

    [Fact]
    public void A_read_only_file_loads_into_memory_of_its_own_with_the_same_bytes_and_a_writable_one_stays_mapped()
    {
        using var temp = new TempFolder();
        string path = temp.Sub("vectors.bin");
        byte[] content = new byte[3 * 4096 + 123];
        new Random(5).NextBytes(content);
        File.WriteAllBytes(path, content);

        using (ChunkedMappedFile readOnly = ChunkedMappedFile.Open(path, chunkBytes: content.Length, writable: false))
        {
            readOnly.MapNext(1);
            nint mapped = readOnly.Chunks[0];
            Assert.True(readOnly.LoadIntoMemory());
            Assert.NotEqual(mapped, readOnly.Chunks[0]);
            Assert.Equal(0, readOnly.Chunks[0] % (2 << 20)); // huge-page aligned
            Assert.True(new ReadOnlySpan<byte>((byte*)readOnly.Chunks[0], content.Length).SequenceEqual(content));
            Assert.False(readOnly.LoadIntoMemory()); // once
        }

        using ChunkedMappedFile writable = ChunkedMappedFile.Open(path, chunkBytes: content.Length, writable: true);
        writable.MapNext(1);
        nint before = writable.Chunks[0];
        Assert.False(writable.LoadIntoMemory());
        Assert.Equal(before, writable.Chunks[0]);
    }
}
