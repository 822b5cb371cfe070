using System.Diagnostics;
using System.Globalization;

namespace Grape.Bench.Workloads;

/// <summary>Bytes a folder takes: allocated on disk (what <c>du</c> reports) and apparent (the sum of file lengths).</summary>
internal static class DiskUsage
{
    public static (long Allocated, long Apparent) Of(string folder)
    {
        long apparent = 0;
        foreach (var f in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)) apparent += new FileInfo(f).Length;
        return (AllocatedByDu(folder) ?? apparent, apparent);
    }

    /// <summary>Allocated blocks via <c>du -s -B1</c> (sparse or preallocated files differ from their length); null without du.</summary>
    private static long? AllocatedByDu(string folder)
    {
        try
        {
            var info = new ProcessStartInfo("du") { RedirectStandardOutput = true, UseShellExecute = false };
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add("-B1");
            info.ArgumentList.Add(folder);
            using var p = Process.Start(info);
            if (p is null) return null;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var first = text.Split('\t', 2)[0];
            return p.ExitCode == 0 && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) ? bytes : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
