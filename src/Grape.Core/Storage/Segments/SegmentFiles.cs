using System.Globalization;

namespace Grape.Core.Storage.Segments;

/// <summary>
/// The files of a segment folder:
/// <code>
/// manifest.json              format version, id, appendable, vector specs and chunk sizes, slot count, payload bytes,
///                            deleted generation; replaced atomically, it is the commit point of a flush
/// ids.bin                    per slot: id kind, id, version (IdTracker)
/// deleted.&lt;gen&gt;.bin          deleted bits, generation named by the manifest (absent while gen = 0)
/// vectors/&lt;i&gt;.bin           float32 vectors of column i (DenseVectorStorage)
/// vectors/&lt;i&gt;.has           has-vector bits of column i (dense columns)
/// vectors/&lt;i&gt;.idx           multivector columns: per slot the byte offset and length of its sub-vectors in
///                            vectors/&lt;i&gt;.bin (MultiVectorStorage)
/// payload/blobs.bin          UTF-8 JSON payloads (PayloadStorage)
/// payload/index.bin          per slot: payload offset and length
/// hnsw/&lt;i&gt;.bin              HNSW graph of column i (HnswGraph), only when the manifest names it
/// </code>
/// Everything past the manifest's slot count and payload bytes is ignored on open and overwritten by later writes.
/// </summary>
internal static class SegmentFiles
{
    public const string Manifest = "manifest.json";
    public const string Ids = "ids.bin";
    public const string VectorsFolder = "vectors";
    public const string PayloadFolder = "payload";
    public const string HnswFolder = "hnsw";

    public static string ManifestPath(string dir) => Path.Combine(dir, Manifest);
    public static string IdsPath(string dir) => Path.Combine(dir, Ids);
    public static string DeletedPath(string dir, long generation) =>
        Path.Combine(dir, "deleted." + generation.ToString(CultureInfo.InvariantCulture) + ".bin");
    public static string VectorsDir(string dir) => Path.Combine(dir, VectorsFolder);
    public static string VectorDataPath(string dir, int index) =>
        Path.Combine(dir, VectorsFolder, index.ToString(CultureInfo.InvariantCulture) + ".bin");
    public static string VectorHasPath(string dir, int index) =>
        Path.Combine(dir, VectorsFolder, index.ToString(CultureInfo.InvariantCulture) + ".has");
    public static string MultiVectorIndexPath(string dir, int index) =>
        Path.Combine(dir, VectorsFolder, index.ToString(CultureInfo.InvariantCulture) + ".idx");
    public static string PayloadDir(string dir) => Path.Combine(dir, PayloadFolder);
    public static string PayloadBlobsPath(string dir) => Path.Combine(dir, PayloadFolder, "blobs.bin");
    public static string PayloadIndexPath(string dir) => Path.Combine(dir, PayloadFolder, "index.bin");
    public static string HnswDir(string dir) => Path.Combine(dir, HnswFolder);
    public static string HnswPath(string dir, int index) =>
        Path.Combine(dir, HnswFolder, index.ToString(CultureInfo.InvariantCulture) + ".bin");

    /// <summary>The per-value payload links of column <paramref name="index"/>'s graph (present when its spec has payload_m).</summary>
    public static string HnswPayloadLinksPath(string dir, int index) =>
        Path.Combine(dir, HnswFolder, index.ToString(CultureInfo.InvariantCulture) + ".payload.bin");

    /// <summary>Removes leftovers of an interrupted flush: the manifest's temp file and deleted-bit files of other generations.</summary>
    public static void RemoveStale(string dir, long generation)
    {
        string keep = Path.GetFileName(DeletedPath(dir, generation));
        foreach (string path in Directory.EnumerateFiles(dir, "deleted.*.bin"))
        {
            if (!string.Equals(Path.GetFileName(path), keep, StringComparison.Ordinal)) File.Delete(path);
        }
        File.Delete(ManifestPath(dir) + ".tmp");
    }
}
