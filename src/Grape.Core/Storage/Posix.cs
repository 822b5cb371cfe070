using System.Runtime.InteropServices;

namespace Grape.Core.Storage;

/// <summary>The few libc calls .NET does not expose (fsync of a folder).</summary>
internal static partial class Posix
{
    public const int O_RDONLY = 0;
    public const int O_DIRECTORY = 0x10000; // Linux x86_64 and arm64

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>madvise advice: back the range with transparent huge pages where the kernel allows (THP "madvise" mode).</summary>
    public const int MADV_HUGEPAGE = 14;

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    public static unsafe partial int Madvise(void* address, nuint length, int advice);
}
