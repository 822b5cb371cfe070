using System.Globalization;
using Grape.CrashHost;

namespace Grape.Core.Tests.Durability;

/// <summary>Ways a crash can leave the end of the newest WAL file.</summary>
public enum WalTailDamage
{
    /// <summary>Bytes of a record that never completed follow the last good record.</summary>
    GarbageAppended,
    /// <summary>The last bytes of the last record never reached the disk (zeros, as in a preallocated file).</summary>
    TailZeroed,
    /// <summary>The file ends inside the last record.</summary>
    TailTruncated,
}

/// <summary>Damages the tail of a collection's newest WAL file the way a torn write would.</summary>
internal static class WalTail
{
    /// <summary>Bytes cut from the last record: fewer than any record's header, so only that one record is hurt.</summary>
    private const int TornBytes = 3;

    public static string WalDirectory(string storage) => Path.Combine(storage, "collections", CrashData.Collection, "0", "wal");

    /// <summary>Applies <paramref name="damage"/> to the newest WAL file holding data; returns its path.</summary>
    public static string Damage(string storage, WalTailDamage damage, Random rng)
    {
        // Log files are named by their first op number (spare preallocated files are not *.wal); the newest with any
        // data is the one a crash can tear.
        var files = Directory.GetFiles(WalDirectory(storage), "*.wal")
            .Select(f => (Path: f, Order: LeadingNumber(Path.GetFileName(f))))
            .OrderBy(f => f.Order).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => f.Path)
            .ToList();
        Assert.NotEmpty(files);
        for (int i = files.Count - 1; i >= 0; i--)
        {
            var bytes = File.ReadAllBytes(files[i]);
            int end = bytes.AsSpan().LastIndexOfAnyExcept((byte)0) + 1; // preallocated files are zero past the data
            if (end == 0) continue;
            using var file = new FileStream(files[i], FileMode.Open, FileAccess.Write);
            switch (damage)
            {
                case WalTailDamage.GarbageAppended:
                    var garbage = new byte[16 + rng.Next(64)];
                    rng.NextBytes(garbage);
                    garbage[0] |= 1; // a non-zero first byte, so it is not mistaken for preallocated space
                    // After the file's real end: a record may itself end in zero bytes (a set-payload record ends with
                    // its 0 "overwrite" flag), so the last non-zero byte is not the end of the data. Garbage after
                    // zero padding is a torn tail to the log as well.
                    file.Position = bytes.Length;
                    file.Write(garbage);
                    break;
                case WalTailDamage.TailZeroed:
                    file.Position = end - TornBytes;
                    file.Write(new byte[TornBytes]);
                    break;
                case WalTailDamage.TailTruncated:
                    file.SetLength(end - TornBytes);
                    break;
            }
            file.Flush(flushToDisk: true);
            return files[i];
        }
        Assert.Fail($"no WAL file with data under {WalDirectory(storage)}");
        return "";
    }

    private static ulong LeadingNumber(string name)
    {
        int n = 0;
        while (n < name.Length && char.IsAsciiDigit(name[n])) n++;
        return n > 0 && ulong.TryParse(name.AsSpan(0, n), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : ulong.MaxValue;
    }
}
