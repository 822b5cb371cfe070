namespace Grape.Core.Storage;

/// <summary>Replaces a small file so that a crash leaves either the old or the new content, never a mix.</summary>
internal static class AtomicFile
{
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, bool durable = true)
    {
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(content);
            if (durable) fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        if (durable) FsyncDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Makes a rename or a new file in <paramref name="directory"/> durable (POSIX: fsync the folder).</summary>
    public static void FsyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        // .NET cannot open a folder as a file handle; ask libc directly. Some file systems refuse: that is harmless.
        int fd = Posix.Open(directory, Posix.O_RDONLY | Posix.O_DIRECTORY);
        if (fd < 0) return;
        Posix.Fsync(fd);
        Posix.Close(fd);
    }
}
