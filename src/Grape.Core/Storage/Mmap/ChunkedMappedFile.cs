using Grape.Core.Errors;

namespace Grape.Core.Storage.Mmap;

/// <summary>
/// A file read and written through mappings of fixed-size chunks, for append-only data that readers access by address.
/// <para>
/// The file grows a view at a time: each new view maps whole chunks right after the last mapped one, and a view is never
/// remapped or moved while the file is open, so a pointer handed to a reader stays valid until <see cref="Dispose"/>.
/// A record placed inside one view is contiguous in memory even when that view spans several chunks (used for payloads
/// larger than a chunk and for the prefix mapped in one piece when a segment is reopened).
/// </para>
/// <para>
/// Threads: one writer calls <see cref="MapNext"/>; readers index <see cref="Chunks"/> concurrently. The chunk table is
/// replaced copy-on-grow and published with <c>Volatile.Write</c>; its entries never change once set. A reader only
/// looks at a chunk after an acquire (a <c>Volatile.Read</c> of a published count, or a dictionary lookup) that
/// happened after the writer mapped it, so the plain read of <see cref="Chunks"/> sees a table holding it.
/// </para>
/// </summary>
internal sealed unsafe class ChunkedMappedFile : IDisposable
{
    private readonly FileStream _file;
    private readonly bool _writable;
    // FileStream is not thread-safe: the writer may grow the file (MapNext) while a flush fsyncs it from another thread.
    private readonly Lock _fileLock = new();
    private nint[] _chunks = [];
    private MappedView[] _views = [];
    private int _chunkCount;
    private bool _disposed;
    private void* _copy; // LoadIntoMemory's copy, freed by Dispose

    private ChunkedMappedFile(FileStream file, long chunkBytes, bool writable)
    {
        _file = file;
        ChunkBytes = chunkBytes;
        _writable = writable;
    }

    /// <summary>Opens (or creates, when writable) the file without mapping anything yet.</summary>
    public static ChunkedMappedFile Open(string path, long chunkBytes, bool writable)
    {
        if (chunkBytes <= 0) throw new ArgumentOutOfRangeException(nameof(chunkBytes));
        var file = writable
            ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1)
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return new ChunkedMappedFile(file, chunkBytes, writable);
    }

    /// <summary>Chunk index → address of the chunk's first byte. Hot path: index it directly.</summary>
    public nint[] Chunks => _chunks;

    /// <summary>Chunks mapped so far (writer side).</summary>
    public int ChunkCount => _chunkCount;

    public long ChunkBytes { get; }

    /// <summary>Bytes covered by the mapped chunks.</summary>
    public long MappedBytes => _chunkCount * ChunkBytes;

    public long FileLength
    {
        get
        {
            lock (_fileLock) return _file.Length;
        }
    }

    public string Path => _file.Name;

    /// <summary>Maps the next <paramref name="count"/> chunks as one view, growing the file first if needed (writable).</summary>
    public void MapNext(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count));
        long start = _chunkCount * ChunkBytes;
        long length = count * ChunkBytes;
        MappedView view;
        lock (_fileLock)
        {
            if (_file.Length < start + length)
            {
                if (!_writable) ThrowHelper.Corrupted($"File `{_file.Name}` is shorter than its recorded content ({_file.Length} < {start + length} bytes)");
                _file.SetLength(start + length); // sparse where the file system allows: untouched chunks cost no disk
            }
            view = MappedView.Map(_file, start, length, _writable);
        }

        nint[] table = _chunks;
        int needed = _chunkCount + count;
        if (table.Length < needed)
        {
            var bigger = new nint[Math.Max(needed, Math.Max(4, table.Length * 2))];
            table.AsSpan(0, _chunkCount).CopyTo(bigger);
            table = bigger;
        }
        for (int i = 0; i < count; i++) table[_chunkCount + i] = (nint)(view.Pointer + i * ChunkBytes);
        if (!ReferenceEquals(table, _chunks)) Volatile.Write(ref _chunks, table);

        var views = new MappedView[_views.Length + 1];
        _views.CopyTo(views, 0);
        views[^1] = view;
        Volatile.Write(ref _views, views);
        _chunkCount = needed;
    }

    /// <summary>Makes chunks <paramref name="first"/>..<paramref name="last"/> durable: msync of the views holding them,
    /// then fsync of the file (which also persists its length).</summary>
    public void FlushChunks(int first, int last)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long from = first * ChunkBytes, to = (last + 1) * ChunkBytes;
        foreach (MappedView view in Volatile.Read(ref _views))
        {
            if (view.Offset < to && view.Offset + view.Length > from) view.Flush();
        }
        lock (_fileLock) _file.Flush(flushToDisk: true);
    }

    /// <summary>Reads one byte per page of every mapped view so the pages are resident before the first query.</summary>
    public long PreTouch()
    {
        long sum = 0;
        int page = Environment.SystemPageSize;
        foreach (MappedView view in Volatile.Read(ref _views))
        {
            byte* p = view.Pointer;
            for (long i = 0; i < view.Length; i += page) sum += p[i];
        }
        return sum; // returned so the JIT cannot drop the reads
    }

    /// <summary>
    /// Read-only files: replaces the mapped chunks with a private in-memory copy of them, on transparent huge pages where
    /// the kernel allows (<c>madvise</c> mode; file mappings get 4 KiB pages). For data read at random addresses by every
    /// query (an indexed segment's vectors): with 2 MiB pages a vector read misses the TLB far less often; about 6-8 %
    /// of an HNSW search on 50-200 MB of vectors. The views are unmapped; chunk addresses change, so call it before any
    /// reader sees <see cref="Chunks"/>. Returns false (nothing changed) for writable or empty files.
    /// </summary>
    public bool LoadIntoMemory()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_writable || _chunkCount == 0 || _copy is not null) return false;
        long length = MappedBytes;
        const int HugePage = 2 << 20;
        nuint size = (nuint)((length + HugePage - 1) / HugePage * HugePage);
        byte* copy = (byte*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc(size, HugePage);
        try
        {
            if (OperatingSystem.IsLinux()) _ = Posix.Madvise(copy, size, Posix.MADV_HUGEPAGE); // advice only
            long done = 0;
            lock (_fileLock)
            {
                while (done < length)
                {
                    int n = RandomAccess.Read(_file.SafeFileHandle, new Span<byte>(copy + done, (int)Math.Min(length - done, 1 << 30)), done);
                    if (n <= 0) ThrowHelper.Corrupted($"File `{_file.Name}` ended at {done} of {length} bytes while loading it");
                    done += n;
                }
            }
        }
        catch
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(copy);
            throw;
        }
        for (int i = 0; i < _chunkCount; i++) _chunks[i] = (nint)(copy + (i * ChunkBytes));
        foreach (MappedView view in _views) view.Dispose();
        _views = [];
        _copy = copy;
        return true;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_copy is not null)
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(_copy);
            _copy = null;
        }
        foreach (MappedView view in _views) view.Dispose();
        _views = [];
        _chunks = [];
        _chunkCount = 0;
        _file.Dispose();
    }
}
