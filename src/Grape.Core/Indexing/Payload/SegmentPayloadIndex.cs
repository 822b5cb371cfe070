using System.Globalization;
using System.Text.Json.Nodes;
using Grape.Core.Errors;
using Grape.Core.Storage;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// The field indexes of one segment. The set is copy-on-write (readers take the array without a lock); changes
/// (create, drop, entries) come from the segment's single writer. Each index is persisted whole to its own file
/// under <c>payload_index/</c> at a flush that finds it changed, and the segment manifest names the files: a crash
/// reopens the indexes of the last manifest, which cover exactly its slots.
/// </summary>
internal sealed class SegmentPayloadIndex
{
    public const string Folder = "payload_index";

    private FieldIndex[] _indexes = [];
    // Guarded by the segment's flush lock: what the last flush wrote, per key.
    private readonly Dictionary<string, (FieldIndex Index, string File, uint Limit)> _persisted = new(StringComparer.Ordinal);
    private long _nextFile;

    public IReadOnlyList<FieldIndex> All => Volatile.Read(ref _indexes);

    public FieldIndex? Find(string key)
    {
        foreach (var i in Volatile.Read(ref _indexes))
            if (i.Key == key) return i;
        return null;
    }

    /// <summary>Writer: indexes a newly written slot in every field index.</summary>
    public void Add(uint offset, ReadOnlySpan<byte> payload)
    {
        foreach (var i in _indexes) i.Add(offset, payload);
    }

    /// <summary>Writer: makes <paramref name="index"/> the index of its key (replacing any other).</summary>
    public void Put(FieldIndex index)
    {
        var next = _indexes.Where(i => i.Key != index.Key).Append(index).ToArray();
        Volatile.Write(ref _indexes, next);
    }

    /// <summary>Writer: drops the index of <paramref name="key"/>; false if there was none.</summary>
    public bool Remove(string key)
    {
        var current = _indexes;
        if (!current.Any(i => i.Key == key)) return false;
        Volatile.Write(ref _indexes, current.Where(i => i.Key != key).ToArray());
        return true;
    }

    /// <summary>Whether a flush covering <paramref name="limit"/> slots has anything to write.</summary>
    public bool IsDirty(uint limit)
    {
        var current = Volatile.Read(ref _indexes);
        if (current.Length != _persisted.Count) return true;
        foreach (var i in current)
            if (!IsPersisted(i, limit)) return true;
        return false;
    }

    // An appendable segment's indexes grow with its slots: rewritten whenever the slot count moved.
    private bool IsPersisted(FieldIndex index, uint limit) =>
        _persisted.TryGetValue(index.Key, out var p) && ReferenceEquals(p.Index, index) && p.Limit == limit;

    /// <summary>
    /// Flush, before the manifest: writes (fsynced) every index that changed, covering slots below
    /// <paramref name="limit"/>, and returns the entries the new manifest lists. Files replaced by this flush are
    /// returned in <paramref name="obsolete"/>, to delete once the manifest is committed.
    /// </summary>
    public List<PayloadIndexFile> Persist(string segmentDir, uint limit, List<string> obsolete)
    {
        var current = Volatile.Read(ref _indexes);
        var entries = new List<PayloadIndexFile>(current.Length);
        var dir = Path.Combine(segmentDir, Folder);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var index in current)
        {
            string file;
            _persisted.TryGetValue(index.Key, out var p);
            if (IsPersisted(index, limit))
            {
                file = p.File;
            }
            else
            {
                Directory.CreateDirectory(dir);
                file = "f" + (_nextFile++).ToString(CultureInfo.InvariantCulture) + ".bin";
                using (var fs = new FileStream(Path.Combine(dir, file), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    using (var w = new BinaryWriter(fs, System.Text.Encoding.UTF8, leaveOpen: true))
                    {
                        w.Write(FormatVersion);
                        index.Write(w, limit);
                    }
                    fs.Flush(flushToDisk: true);
                }
                if (p.File is not null) obsolete.Add(Path.Combine(dir, p.File));
            }
            keep.Add(index.Key);
            _persisted[index.Key] = (index, file, limit);
            entries.Add(new PayloadIndexFile(index.Key, index.Schema.ToJson().ToJsonString(), file));
        }
        foreach (var key in _persisted.Keys.Where(k => !keep.Contains(k)).ToList())
        {
            obsolete.Add(Path.Combine(dir, _persisted[key].File));
            _persisted.Remove(key);
        }
        if (entries.Count > 0 && Directory.Exists(dir)) AtomicFile.FsyncDirectory(dir);
        return entries;
    }

    private const int FormatVersion = 1;

    /// <summary>Opens the indexes a manifest lists (no payload is read) and removes files it does not list.</summary>
    public static SegmentPayloadIndex Load(string segmentDir, IReadOnlyList<PayloadIndexFile>? files, uint slotCount)
    {
        var result = new SegmentPayloadIndex();
        var dir = Path.Combine(segmentDir, Folder);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var loaded = new List<FieldIndex>();
        long next = 0;
        foreach (var f in files ?? [])
        {
            var schema = PayloadFieldSchema.FromJson(JsonNode.Parse(f.SchemaJson));
            var index = FieldIndexFactory.Create(f.Key, schema);
            var path = Path.Combine(dir, f.File);
            try
            {
                using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                using var r = new BinaryReader(fs);
                if (r.ReadInt32() != FormatVersion) ThrowHelper.Corrupted($"Payload index file `{path}` has an unknown format version");
                index.Read(r);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or FormatException)
            {
                throw new StorageCorruptedException($"Payload index file `{path}` cannot be read: {e.Message}", e);
            }
            loaded.Add(index);
            listed.Add(f.File);
            result._persisted[f.Key] = (index, f.File, slotCount);
            if (long.TryParse(f.File.AsSpan(1, f.File.Length - 5), NumberStyles.None, CultureInfo.InvariantCulture, out long n)) next = Math.Max(next, n + 1);
        }
        if (Directory.Exists(dir))
            foreach (var path in Directory.EnumerateFiles(dir))
                if (!listed.Contains(Path.GetFileName(path))) File.Delete(path);
        result._indexes = [.. loaded];
        result._nextFile = next;
        return result;
    }
}
