using System.Buffers;
using System.Numerics;
using System.Text.Json;
using Grape.Core.Errors;

namespace Grape.Core.Storage.Segments;

/// <summary>
/// The small JSON file that commits a segment's state: a flush writes data files first (fsync), then replaces this file
/// atomically (temp + fsync + rename + fsync of the folder), so after a crash it names the last complete flush.
/// <paramref name="VectorChunkSlots"/> and <paramref name="PayloadChunkBytes"/> are 0 for immutable segments (exact-size
/// files, one mapping each); for appendable ones they are powers of two.
/// </summary>
internal sealed record SegmentManifest(
    Guid SegmentId,
    bool Appendable,
    IReadOnlyList<SegmentVectorSpec> Vectors,
    IReadOnlyList<int> VectorChunkSlots,
    int PayloadChunkBytes,
    int SlotCount,
    long PayloadBytes,
    long DeletedGeneration)
{
    /// <summary>Per column, the HNSW graph the segment holds (null: none). Empty or one entry per vector. Written as an
    /// optional <c>hnsw</c> object per vector, so manifests without it read as unindexed.</summary>
    public IReadOnlyList<SegmentIndexSpec?> Indexes { get; init; } = [];

    /// <summary>Per column, the bytes of sub-vector data a multivector column holds (the commit point of its data file,
    /// as <see cref="PayloadBytes"/> is for payloads); 0 for dense columns. Empty or one entry per vector. For a
    /// multivector column <see cref="VectorChunkSlots"/> holds the data file's chunk size in bytes.</summary>
    public IReadOnlyList<long> MultiDataBytes { get; init; } = [];

    /// <summary>Bumped on any change of a file's layout; <see cref="Read"/> refuses other versions.</summary>
    public const int FormatVersion = 1;

    /// <summary>Field indexes and their files (absent in manifests written before payload indexes existed).</summary>
    public IReadOnlyList<Indexing.Payload.PayloadIndexFile>? PayloadIndexes { get; init; }

    /// <summary>Qdrant's largest dense dimension.</summary>
    public const int MaxDimension = 65536;

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("format_version", FormatVersion);
            w.WriteString("segment_id", SegmentId);
            w.WriteBoolean("appendable", Appendable);
            w.WriteNumber("slot_count", SlotCount);
            w.WriteNumber("payload_bytes", PayloadBytes);
            w.WriteNumber("payload_chunk_bytes", PayloadChunkBytes);
            w.WriteNumber("deleted_generation", DeletedGeneration);
            w.WriteStartArray("vectors");
            for (int i = 0; i < Vectors.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("name", Vectors[i].Name);
                w.WriteNumber("dim", Vectors[i].Dimension);
                w.WriteBoolean("on_disk", Vectors[i].OnDisk);
                w.WriteNumber("chunk_slots", VectorChunkSlots[i]);
                // Absent means float32 (manifests written before datatypes existed read the same).
                if (Vectors[i].Datatype != Collections.VectorDatatype.Float32) w.WriteString("datatype", Grape.Core.Storage.Vectors.VectorEncoding.Name(Vectors[i].Datatype));
                if (Vectors[i].Multi)
                {
                    w.WriteBoolean("multi", true);
                    w.WriteNumber("data_bytes", i < MultiDataBytes.Count ? MultiDataBytes[i] : 0);
                }
                if (i < Indexes.Count && Indexes[i] is { } index)
                {
                    w.WriteStartObject("hnsw");
                    w.WriteNumber("m", index.M);
                    w.WriteNumber("ef_construct", index.EfConstruct);
                    w.WriteBoolean("on_disk", index.OnDisk);
                    if (index.PayloadM > 0)
                    {
                        w.WriteNumber("payload_m", index.PayloadM);
                        w.WriteStartArray("payload_fields");
                        foreach (string f in index.PayloadFields) w.WriteStringValue(f);
                        w.WriteEndArray();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WritePayloadIndexes(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads and validates the manifest of a segment folder.</summary>
    /// <exception cref="StorageCorruptedException">Missing, unreadable, of another format version, or inconsistent.</exception>
    public static SegmentManifest Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new StorageCorruptedException($"Segment manifest `{path}` is missing", e);
        }
        try
        {
            SegmentManifest m = Parse(bytes);
            m.Validate();
            return m;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new StorageCorruptedException($"Segment manifest `{path}` is not valid: {e.Message}", e);
        }
        catch (StorageCorruptedException e)
        {
            throw new StorageCorruptedException($"Segment manifest `{path}` is not valid: {e.Message}", e);
        }
    }

    private static SegmentManifest Parse(byte[] bytes)
    {
        using var doc = JsonDocument.Parse(bytes);
        JsonElement root = doc.RootElement;
        int version = root.GetProperty("format_version").GetInt32();
        if (version != FormatVersion) ThrowHelper.Corrupted($"format version {version} is not supported (expected {FormatVersion})");
        var specs = new List<SegmentVectorSpec>();
        var chunkSlots = new List<int>();
        var indexes = new List<SegmentIndexSpec?>();
        var multiBytes = new List<long>();
        foreach (JsonElement v in root.GetProperty("vectors").EnumerateArray())
        {
            indexes.Add(v.TryGetProperty("hnsw", out JsonElement h) ? ReadIndexSpec(h) : null);
            bool multi = v.TryGetProperty("multi", out JsonElement mv) && mv.GetBoolean();
            var datatype = Collections.VectorDatatype.Float32;
            if (v.TryGetProperty("datatype", out JsonElement dt) && !Grape.Core.Storage.Vectors.VectorEncoding.TryParse(dt.GetString(), out datatype))
                throw new FormatException($"unknown vector datatype `{dt}`");
            multiBytes.Add(multi ? v.GetProperty("data_bytes").GetInt64() : 0);
            specs.Add(new SegmentVectorSpec(
                v.GetProperty("name").GetString() ?? throw new FormatException("vector name is null"),
                v.GetProperty("dim").GetInt32(),
                v.GetProperty("on_disk").GetBoolean(),
                multi,
                datatype));
            chunkSlots.Add(v.GetProperty("chunk_slots").GetInt32());
        }
        return new SegmentManifest(
            root.GetProperty("segment_id").GetGuid(),
            root.GetProperty("appendable").GetBoolean(),
            specs,
            chunkSlots,
            root.GetProperty("payload_chunk_bytes").GetInt32(),
            root.GetProperty("slot_count").GetInt32(),
            root.GetProperty("payload_bytes").GetInt64(),
            root.GetProperty("deleted_generation").GetInt64())
        {
            Indexes = indexes,
            PayloadIndexes = ReadPayloadIndexes(root),
            MultiDataBytes = multiBytes,
        };
    }

    /// <summary>A column's <c>hnsw</c> entry; <c>payload_m</c>/<c>payload_fields</c> are absent in manifests written before payload links.</summary>
    private static SegmentIndexSpec ReadIndexSpec(JsonElement h)
    {
        var fields = new List<string>();
        if (h.TryGetProperty("payload_fields", out JsonElement pf))
            foreach (JsonElement f in pf.EnumerateArray()) fields.Add(f.GetString() ?? throw new FormatException("payload field is null"));
        return new SegmentIndexSpec(h.GetProperty("m").GetInt32(), h.GetProperty("ef_construct").GetInt32(), h.GetProperty("on_disk").GetBoolean())
        {
            PayloadM = h.TryGetProperty("payload_m", out JsonElement pm) ? pm.GetInt32() : 0,
            PayloadFields = fields,
        };
    }

    private void WritePayloadIndexes(Utf8JsonWriter w)
    {
        if (PayloadIndexes is not { Count: > 0 } list) return;
        w.WriteStartArray("payload_indexes");
        foreach (var p in list)
        {
            w.WriteStartObject();
            w.WriteString("key", p.Key);
            w.WriteString("schema", p.SchemaJson);
            w.WriteString("file", p.File);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static List<Indexing.Payload.PayloadIndexFile>? ReadPayloadIndexes(JsonElement root)
    {
        if (!root.TryGetProperty("payload_indexes", out JsonElement list)) return null;
        var result = new List<Indexing.Payload.PayloadIndexFile>();
        foreach (JsonElement p in list.EnumerateArray())
        {
            result.Add(new Indexing.Payload.PayloadIndexFile(
                p.GetProperty("key").GetString() ?? throw new FormatException("payload index key is null"),
                p.GetProperty("schema").GetString() ?? throw new FormatException("payload index schema is null"),
                p.GetProperty("file").GetString() ?? throw new FormatException("payload index file is null")));
        }
        return result;
    }

    private void Validate()
    {
        if (SlotCount < 0 || PayloadBytes < 0 || DeletedGeneration < 0) ThrowHelper.Corrupted("negative count");
        if (Appendable ? !IsPowerOfTwo(PayloadChunkBytes) : PayloadChunkBytes != 0) ThrowHelper.Corrupted("bad payload chunk size");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Vectors.Count; i++)
        {
            SegmentVectorSpec v = Vectors[i];
            if (v.Dimension is < 1 or > MaxDimension) ThrowHelper.Corrupted($"bad dimension {v.Dimension} of vector `{v.Name}`");
            if (!names.Add(v.Name)) ThrowHelper.Corrupted($"vector `{v.Name}` appears twice");
            if (Appendable ? !IsPowerOfTwo(VectorChunkSlots[i]) : VectorChunkSlots[i] != 0) ThrowHelper.Corrupted($"bad chunk size of vector `{v.Name}`");
            if (v.Multi && (i >= MultiDataBytes.Count || MultiDataBytes[i] < 0)) ThrowHelper.Corrupted($"bad data size of multivector `{v.Name}`");
            if (i < Indexes.Count && Indexes[i] is { } index && (Appendable || index.M < 2 || index.EfConstruct < 1))
                ThrowHelper.Corrupted($"bad HNSW entry of vector `{v.Name}`");
        }
    }

    private static bool IsPowerOfTwo(int value) => value > 0 && BitOperations.IsPow2(value);
}
