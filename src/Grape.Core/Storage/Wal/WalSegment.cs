using System.Globalization;

namespace Grape.Core.Storage.Wal;

/// <summary>
/// One log file, named by the op number of its first record. Its extent fields change only under the log's
/// segment lock (the flusher updates them after each write).
/// </summary>
internal sealed class WalSegment
{
    public const string Extension = ".wal";
    private const int NameDigits = 20; // ulong.MaxValue has 20 digits: names sort as numbers

    public WalSegment(string path, ulong firstOpNum)
    {
        Path = path;
        FirstOpNum = firstOpNum;
        LastOpNum = firstOpNum - 1;
    }

    public string Path { get; }

    public ulong FirstOpNum { get; }

    /// <summary>Op number of the last record written; <see cref="FirstOpNum"/> - 1 while the file has none.</summary>
    public ulong LastOpNum { get; set; }

    /// <summary>Bytes of records (the file may be longer: zero-filled, preallocated space).</summary>
    public long Length { get; set; }

    public bool IsEmpty => LastOpNum < FirstOpNum;

    public static string FileName(ulong firstOpNum) =>
        firstOpNum.ToString("D" + NameDigits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseFileName(string fileName, out ulong firstOpNum)
    {
        firstOpNum = 0;
        if (fileName.Length != NameDigits + Extension.Length || !fileName.EndsWith(Extension, StringComparison.Ordinal))
            return false;
        ReadOnlySpan<char> digits = fileName.AsSpan(0, NameDigits);
        return !digits.ContainsAnyExceptInRange('0', '9')
            && ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out firstOpNum)
            && firstOpNum > 0;
    }
}
