using System.Diagnostics;
using System.IO.MemoryMappedFiles;

namespace Grape.Core.Storage.Mmap;

/// <summary>
/// One mapping of a region of an open file, with its base address pinned (AcquirePointer) until <see cref="Dispose"/>.
/// The address never moves while the view lives, so spans over it can be handed to readers without copying.
/// </summary>
internal sealed unsafe class MappedView : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _accessor;
    private byte* _pointer; // null once disposed

    private MappedView(MemoryMappedFile map, MemoryMappedViewAccessor accessor, byte* pointer, long offset, long length)
    {
        _map = map;
        _accessor = accessor;
        _pointer = pointer;
        Offset = offset;
        Length = length;
    }

    /// <summary>The address of the byte at <see cref="Offset"/> of the file.</summary>
    public byte* Pointer => _pointer;

    /// <summary>Where the view starts in the file.</summary>
    public long Offset { get; }

    public long Length { get; }

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="file"/> from <paramref name="offset"/>; the file must
    /// already be that long (the caller grows it first, so mapping never changes the file's size).</summary>
    public static MappedView Map(FileStream file, long offset, long length, bool writable)
    {
        Debug.Assert(length > 0 && offset >= 0 && offset + length <= file.Length);
        var access = writable ? MemoryMappedFileAccess.ReadWrite : MemoryMappedFileAccess.Read;
        // One MemoryMappedFile per view: on Unix it is only a wrapper over the fd (no kernel object), and it cannot be
        // grown, so a new region of a grown file needs a new one anyway. capacity 0 = the file's current length.
        var map = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity: 0, access, HandleInheritability.None, leaveOpen: true);
        MemoryMappedViewAccessor? accessor = null;
        bool acquired = false;
        try
        {
            accessor = map.CreateViewAccessor(offset, length, access);
            byte* p = null;
            accessor.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            acquired = true;
            // The OS maps from a page boundary; PointerOffset is where the requested offset lies in that mapping.
            return new MappedView(map, accessor, p + accessor.PointerOffset, offset, length);
        }
        catch
        {
            if (acquired) accessor!.SafeMemoryMappedViewHandle.ReleasePointer();
            accessor?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>Writes the view's dirty pages to the file (msync on Unix, FlushViewOfFile on Windows).</summary>
    public void Flush() => _accessor.Flush();

    public void Dispose()
    {
        if (_pointer == null) return;
        _pointer = null;
        _accessor.SafeMemoryMappedViewHandle.ReleasePointer();
        // Unmap through the handle first: MemoryMappedViewAccessor.Dispose msyncs an open view synchronously (~10 ms
        // per close measured here), and durability is Flush's job, not Dispose's. munmap keeps the dirty pages in the
        // page cache for the kernel to write back.
        _accessor.SafeMemoryMappedViewHandle.Dispose();
        _accessor.Dispose();
        _map.Dispose();
    }
}
