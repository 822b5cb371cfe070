namespace Grape.Core.Tests.Storage.Wal;

/// <summary>A temp folder owned by one test, deleted with it.</summary>
internal sealed class WalTestFolder : IDisposable
{
    public WalTestFolder() => Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "grape-wal-" + Guid.NewGuid().ToString("N"));

    public string Path { get; }

    /// <summary>The log's files, oldest first.</summary>
    public string[] WalFiles(string? directory = null)
    {
        string[] files = Directory.GetFiles(directory ?? Path, "*.wal");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>A fresh copy of <paramref name="source"/> under this folder (to damage one copy per case).</summary>
    public string CopyOf(string source, string name)
    {
        string target = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        return target;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
