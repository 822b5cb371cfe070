using System.Runtime.InteropServices;
using Grape.Core.Points;
using Grape.Core.Storage.Payload;
using Grape.Core.Storage.Vectors;

namespace Grape.Core.Storage.Segments;

/// <summary>
/// Builds an immutable segment from live points of other segments (merge, vacuum; later HNSW and payload indexes are
/// built here). Call <see cref="Add"/> for each point, then <see cref="Build"/>.
/// <para>
/// Files are written sequentially and come out exactly sized (a slot without a vector keeps zeros in its place), so
/// the result maps each file once. Source columns are matched to the builder's by name; a missing column means no
/// vector. If one id is added twice, the higher version stays live (the other slot is marked deleted), so the result
/// keeps the one-live-slot-per-id rule. Disposing without <see cref="Build"/> removes the partial folder.
/// </para>
/// </summary>
internal sealed class SegmentBuilder : IDisposable
{
    private const int StreamBuffer = 1 << 16;

    private readonly string _directory;
    private readonly SegmentVectorSpec[] _specs;
    private readonly FileStream _ids;
    private readonly FileStream[] _vectorData;
    private readonly FileStream?[] _multiIndex;        // multivector columns: per-slot (offset, length) table
    private readonly long[] _multiBytes;               // multivector columns: data bytes written so far
    private readonly List<ulong>[] _has;
    private readonly FileStream _payloadIndex;
    private readonly FileStream _payloadBlobs;
    private readonly Dictionary<PointId, uint> _live = [];
    private readonly List<ulong> _versions = [];
    private readonly List<uint> _superseded = [];
    private readonly byte[] _zeros;
    private Segment? _lastSource;
    private int[] _sourceColumns = [];
    private uint _count;
    private long _payloadBytes;
    private bool _built;
    private bool _closed;
    private bool _disposed;

    public SegmentBuilder(string directory, IReadOnlyList<SegmentVectorSpec> vectors)
    {
        _specs = Segment.ValidateSpecs(vectors);
        _directory = directory;
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new IOException($"The folder `{directory}` of a new segment is not empty");
        Directory.CreateDirectory(SegmentFiles.VectorsDir(directory));
        Directory.CreateDirectory(SegmentFiles.PayloadDir(directory));

        _ids = Create(SegmentFiles.IdsPath(directory));
        _vectorData = new FileStream[_specs.Length];
        _multiIndex = new FileStream?[_specs.Length];
        _multiBytes = new long[_specs.Length];
        _has = new List<ulong>[_specs.Length];
        int maxDim = 0;
        for (int i = 0; i < _specs.Length; i++)
        {
            _vectorData[i] = Create(SegmentFiles.VectorDataPath(directory, i));
            if (_specs[i].Multi) _multiIndex[i] = Create(SegmentFiles.MultiVectorIndexPath(directory, i));
            _has[i] = [];
            maxDim = Math.Max(maxDim, _specs[i].Dimension);
        }
        _payloadIndex = Create(SegmentFiles.PayloadIndexPath(directory));
        _payloadBlobs = Create(SegmentFiles.PayloadBlobsPath(directory));
        _zeros = new byte[maxDim * sizeof(float)];
    }

    /// <summary>Points added so far.</summary>
    public int Count => (int)_count;

    /// <summary>Copies the point at <paramref name="offset"/> of <paramref name="source"/> (id, version, vectors, payload).
    /// Returns the offset it gets in the new segment.</summary>
    public uint Add(Segment source, uint offset)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_count == int.MaxValue) throw new InvalidOperationException("The segment is full");
        if (!ReferenceEquals(source, _lastSource)) MapColumns(source);

        PointId id = source.GetId(offset);
        ulong version = source.GetVersion(offset);
        uint slot = _count;

        Span<byte> record = stackalloc byte[Math.Max(IdTracker.RecordBytes, PayloadStorage.RefBytes)];
        IdTracker.Encode(record, id, version);
        _ids.Write(record[..IdTracker.RecordBytes]);

        for (int c = 0; c < _specs.Length; c++)
        {
            int sourceColumn = _sourceColumns[c];
            // Stored bytes as they are: source and output columns share the datatype (fixed per collection).
            ReadOnlySpan<byte> vector = sourceColumn >= 0 ? source.GetRawVector(offset, sourceColumn) : default;
            if (_multiIndex[c] is { } multiIndex)
            {
                // Sub-vectors back to back; the table says where each slot's start and how long they are (0 = none).
                _vectorData[c].Write(vector);
                PayloadStorage.EncodeRef(record, vector.IsEmpty ? default : new PayloadRef(_multiBytes[c], vector.Length));
                multiIndex.Write(record[..PayloadStorage.RefBytes]);
                _multiBytes[c] += vector.Length;
                continue;
            }
            if ((slot & 63) == 0) _has[c].Add(0);
            if (vector.IsEmpty)
            {
                _vectorData[c].Write(_zeros, 0, _specs[c].Dimension * _specs[c].ElementBytes);
                continue;
            }
            _vectorData[c].Write(vector);
            CollectionsMarshal.AsSpan(_has[c])[(int)(slot >> 6)] |= 1UL << (int)(slot & 63);
        }

        ReadOnlySpan<byte> payload = source.GetPayload(offset);
        PayloadRef r = payload.IsEmpty ? default : new PayloadRef(_payloadBytes, payload.Length);
        _payloadBlobs.Write(payload);
        _payloadBytes += payload.Length;
        PayloadStorage.EncodeRef(record, r);
        _payloadIndex.Write(record[..PayloadStorage.RefBytes]);

        _versions.Add(version);
        if (_live.TryGetValue(id, out uint previous))
        {
            bool keepPrevious = _versions[(int)previous] > version;
            _superseded.Add(keepPrevious ? slot : previous);
            if (!keepPrevious) _live[id] = slot;
        }
        else
        {
            _live[id] = slot;
        }
        _count++;
        return slot;
    }

    /// <summary>Writes and fsyncs every file and opens the result as an immutable segment.</summary>
    public Segment Build()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        int count = (int)_count;
        long generation = 0;
        if (_superseded.Count > 0)
        {
            var deleted = new ulong[(count + 63) >> 6];
            foreach (uint s in _superseded) deleted[s >> 6] |= 1UL << (int)(s & 63);
            generation = 1;
            FileIo.WriteWordFile(SegmentFiles.DeletedPath(_directory, generation), deleted);
        }
        for (int c = 0; c < _specs.Length; c++)
        {
            if (_specs[c].Multi) continue;
            using FileStream has = Create(SegmentFiles.VectorHasPath(_directory, c));
            FileIo.WriteWords(has.SafeFileHandle, 0, CollectionsMarshal.AsSpan(_has[c]));
            has.Flush(flushToDisk: true);
        }
        foreach (FileStream fs in Streams()) fs.Flush(flushToDisk: true);
        CloseStreams();
        AtomicFile.FsyncDirectory(SegmentFiles.VectorsDir(_directory));
        AtomicFile.FsyncDirectory(SegmentFiles.PayloadDir(_directory));

        var manifest = new SegmentManifest(Guid.NewGuid(), Appendable: false, _specs, new int[_specs.Length], PayloadChunkBytes: 0,
            count, _payloadBytes, generation)
        { MultiDataBytes = _multiBytes };
        AtomicFile.WriteAllBytes(SegmentFiles.ManifestPath(_directory), manifest.ToJson());
        string? parent = Path.GetDirectoryName(Path.GetFullPath(_directory));
        if (parent is not null) AtomicFile.FsyncDirectory(parent);
        _built = true;
        return Segment.Open(_directory);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        CloseStreams();
        if (!_built && Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private void MapColumns(Segment source)
    {
        var map = new int[_specs.Length];
        for (int c = 0; c < _specs.Length; c++)
        {
            map[c] = -1;
            for (int s = 0; s < source.Vectors.Count; s++)
            {
                if (!string.Equals(source.Vectors[s].Name, _specs[c].Name, StringComparison.Ordinal)) continue;
                if (source.Vectors[s].Dimension != _specs[c].Dimension)
                    throw new ArgumentException($"Vector `{_specs[c].Name}` has dimension {source.Vectors[s].Dimension} in the source, {_specs[c].Dimension} here", nameof(source));
                if (source.Vectors[s].Datatype != _specs[c].Datatype)
                    throw new ArgumentException($"Vector `{_specs[c].Name}` is {source.Vectors[s].Datatype} in the source, {_specs[c].Datatype} here", nameof(source));
                if (source.Vectors[s].Multi != _specs[c].Multi)
                    throw new ArgumentException($"Vector `{_specs[c].Name}` is {(source.Vectors[s].Multi ? "a multivector" : "dense")} in the source, not here", nameof(source));
                map[c] = s;
            }
        }
        _sourceColumns = map;
        _lastSource = source;
    }

    private IEnumerable<FileStream> Streams()
    {
        yield return _ids;
        foreach (FileStream fs in _vectorData) yield return fs;
        foreach (FileStream? fs in _multiIndex) if (fs is not null) yield return fs;
        yield return _payloadIndex;
        yield return _payloadBlobs;
    }

    private void CloseStreams()
    {
        if (_closed) return;
        _closed = true;
        foreach (FileStream fs in Streams()) fs.Dispose();
    }

    private static FileStream Create(string path) =>
        new(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, StreamBuffer);
}
