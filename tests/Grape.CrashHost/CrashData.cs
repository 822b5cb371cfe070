using System.Globalization;
using System.Text.Json.Nodes;

namespace Grape.CrashHost;

/// <summary>
/// The deterministic content of every point the crash host writes: the vector and payload follow from the id (and the
/// batch number), so the durability test can check any point it finds without the host telling it the bytes.
/// This file is compiled into both the host and the test project.
/// </summary>
internal static class CrashData
{
    public const string Collection = "crash";
    public const int Dimension = 8;

    /// <summary>A vector with no zero component (a zero-free tail keeps the WAL's last bytes non-zero, which the
    /// torn-tail test relies on to find the end of the data).</summary>
    public static float[] VectorOf(ulong id)
    {
        var v = new float[Dimension];
        for (int j = 0; j < v.Length; j++)
            v[j] = (float)((id * 2654435761UL + (ulong)j * 40503UL) % 10007UL) / 7f + 0.5f;
        return v;
    }

    /// <summary>Blob length varies with the id so WAL records have many sizes; the trailing "ü" checks UTF-8 round trips.</summary>
    public static string BlobOf(ulong id)
    {
        int len = 8 + (int)(id * 13 % 300);
        return "blob-" + id.ToString(CultureInfo.InvariantCulture) + "-" + new string((char)('a' + (int)(id % 26)), len) + "ü";
    }

    public static JsonObject PayloadOf(ulong id, int batch) => new()
    {
        ["n"] = id,
        ["batch"] = batch,
        ["blob"] = BlobOf(id),
    };

    /// <summary>The payload after set-payload calls merged <c>{"set": value}</c> into it.</summary>
    public static JsonObject PayloadOf(ulong id, int batch, long? set)
    {
        var p = PayloadOf(id, batch);
        if (set is { } s) p["set"] = s;
        return p;
    }
}
