using Grape.Core.Errors;
using Grape.Core.Storage.Payload;
using Grape.Core.Storage.Vectors;

namespace Grape.Core.Storage.Segments;

internal sealed partial class Segment
{
    /// <summary>Creates an empty appendable segment in <paramref name="directory"/> (created if needed; it must not hold a
    /// segment already) and opens it. The creation is durable when this returns.</summary>
    public static Segment CreateAppendable(string directory, IReadOnlyList<SegmentVectorSpec> vectors) =>
        CreateAppendable(directory, vectors, SegmentStorageOptions.Default);

    internal static Segment CreateAppendable(string directory, IReadOnlyList<SegmentVectorSpec> vectors, SegmentStorageOptions options)
    {
        SegmentVectorSpec[] specs = ValidateSpecs(vectors);
        if (options.PayloadChunkBytes <= 0 || (options.PayloadChunkBytes & (options.PayloadChunkBytes - 1)) != 0)
            throw new ArgumentException("PayloadChunkBytes must be a power of two", nameof(options));
        string manifestPath = SegmentFiles.ManifestPath(directory);
        if (File.Exists(manifestPath)) throw new IOException($"A segment exists already in `{directory}`");

        System.IO.Directory.CreateDirectory(SegmentFiles.VectorsDir(directory));
        System.IO.Directory.CreateDirectory(SegmentFiles.PayloadDir(directory));
        File.Create(SegmentFiles.IdsPath(directory)).Dispose();
        var chunkSlots = new int[specs.Length];
        for (int i = 0; i < specs.Length; i++)
        {
            if (specs[i].Multi)
            {
                MultiVectorStorage.CreateFiles(SegmentFiles.VectorDataPath(directory, i), SegmentFiles.MultiVectorIndexPath(directory, i));
                chunkSlots[i] = MultiVectorStorage.ChunkBytesFor(options.VectorChunkBytes); // bytes, not slots, for a multivector column
                continue;
            }
            DenseVectorStorage.CreateFiles(SegmentFiles.VectorDataPath(directory, i), SegmentFiles.VectorHasPath(directory, i));
            chunkSlots[i] = DenseVectorStorage.ChunkSlotsFor(specs[i].Dimension, specs[i].ElementBytes, options.VectorChunkBytes);
        }
        PayloadStorage.CreateFiles(SegmentFiles.PayloadBlobsPath(directory), SegmentFiles.PayloadIndexPath(directory));
        AtomicFile.FsyncDirectory(SegmentFiles.VectorsDir(directory));
        AtomicFile.FsyncDirectory(SegmentFiles.PayloadDir(directory));

        var manifest = new SegmentManifest(Guid.NewGuid(), Appendable: true, specs, chunkSlots, options.PayloadChunkBytes,
            SlotCount: 0, PayloadBytes: 0, DeletedGeneration: 0);
        AtomicFile.WriteAllBytes(manifestPath, manifest.ToJson()); // fsyncs the segment folder too
        string? parent = Path.GetDirectoryName(Path.GetFullPath(directory));
        if (parent is not null) AtomicFile.FsyncDirectory(parent);
        return Open(directory, options);
    }

    /// <summary>Opens the segment in <paramref name="directory"/> as of its last flush (or build).</summary>
    /// <exception cref="StorageCorruptedException">The manifest or a file is missing, truncated or inconsistent.</exception>
    public static Segment Open(string directory) => Open(directory, SegmentStorageOptions.Default);

    internal static Segment Open(string directory, SegmentStorageOptions options)
    {
        SegmentManifest m = SegmentManifest.Read(SegmentFiles.ManifestPath(directory));
        IdTracker? ids = null;
        var vectors = new DenseVectorStorage?[m.Vectors.Count];
        var multi = new MultiVectorStorage?[m.Vectors.Count];
        PayloadStorage? payload = null;
        try
        {
            SegmentFiles.RemoveStale(directory, m.DeletedGeneration);
            string? deletedPath = m.DeletedGeneration > 0 ? SegmentFiles.DeletedPath(directory, m.DeletedGeneration) : null;
            ids = IdTracker.Load(SegmentFiles.IdsPath(directory), deletedPath, m.SlotCount, options.SlotChunkShift);
            for (int i = 0; i < vectors.Length; i++)
            {
                if (m.Vectors[i].Multi)
                {
                    multi[i] = MultiVectorStorage.Open(SegmentFiles.VectorDataPath(directory, i), SegmentFiles.MultiVectorIndexPath(directory, i),
                        m.Vectors[i].Dimension, m.Vectors[i].Datatype, m.VectorChunkSlots[i], m.SlotCount, m.MultiDataBytes[i], m.Vectors[i].OnDisk, options.SlotChunkShift);
                    continue;
                }
                vectors[i] = DenseVectorStorage.Open(SegmentFiles.VectorDataPath(directory, i), SegmentFiles.VectorHasPath(directory, i),
                    m.Vectors[i].Dimension, m.Vectors[i].Datatype, m.VectorChunkSlots[i], m.SlotCount, m.Vectors[i].OnDisk, options.SlotChunkShift);
            }
            payload = PayloadStorage.Open(SegmentFiles.PayloadBlobsPath(directory), SegmentFiles.PayloadIndexPath(directory),
                m.PayloadChunkBytes, m.SlotCount, m.PayloadBytes, options.SlotChunkShift);
            var segment = new Segment(directory, m, ids, vectors, multi, payload);
            try
            {
                segment._payloadIndex = Indexing.Payload.SegmentPayloadIndex.Load(directory, m.PayloadIndexes, (uint)m.SlotCount);
                segment.OpenIndexes(m);
            }
            catch
            {
                segment.Dispose();
                throw;
            }
            return segment;
        }
        catch (Exception e)
        {
            foreach (DenseVectorStorage? v in vectors) v?.Dispose();
            foreach (MultiVectorStorage? v in multi) v?.Dispose();
            payload?.Dispose();
            if (e is FileNotFoundException or DirectoryNotFoundException or EndOfStreamException)
                throw new StorageCorruptedException($"Segment `{directory}` is missing a file: {e.Message}", e);
            throw;
        }
    }

    /// <summary>
    /// Persists the current state durably: data of the slots added since the last flush (ids, versions, vectors, has
    /// bits, payloads; msync + fsync), the deleted bits if any changed (a new generation file), then the manifest,
    /// atomically, as the commit point. Readers and the writer keep running: the state is captured under the write lock
    /// (a copy of the deleted bits at most) and written outside it. No-op when nothing changed.
    /// </summary>
    public void Flush()
    {
        lock (_flushLock)
        {
            int count;
            long payloadBytes;
            long marks;
            ulong[]? deleted = null;
            var multiBytes = new long[_specs.Length];
            lock (_writeLock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                count = _slotCount;
                payloadBytes = _payload.Tail;
                for (int i = 0; i < _multi.Length; i++) multiBytes[i] = _multi[i]?.Tail ?? 0;
                marks = _ids.DeleteMarks;
                if (count == _persistedCount && marks == _persistedDeleteMarks && !_payloadIndex.IsDirty((uint)count)) return;
                if (marks != _persistedDeleteMarks) deleted = _ids.SnapshotDeleted(count);
            }

            // Published slots never change, so they can be written while the writer appends more.
            uint from = (uint)_persistedCount, to = (uint)count;
            if (to > from)
            {
                using (FileStream ids = FileIo.OpenForWrite(SegmentFiles.IdsPath(Directory)))
                {
                    _ids.WriteSlots(ids.SafeFileHandle, from, to);
                    ids.Flush(flushToDisk: true);
                }
                for (int i = 0; i < _specs.Length; i++)
                {
                    if (_vectors[i] is { } dense) dense.Persist(from, to);
                    else _multi[i]!.Persist(from, to, _persistedMultiBytes[i], multiBytes[i]);
                }
                _payload.Persist(from, to, _persistedPayloadBytes, payloadBytes);
            }

            long generation = _deletedGeneration;
            if (deleted is not null) FileIo.WriteWordFile(SegmentFiles.DeletedPath(Directory, ++generation), deleted);

            var obsoleteIndexFiles = new List<string>();
            var indexFiles = _payloadIndex.Persist(Directory, (uint)count, obsoleteIndexFiles);
            var manifest = new SegmentManifest(Id, IsAppendable, _specs, _chunkSlots, _payloadChunkBytes, count, payloadBytes, generation)
            {
                Indexes = _indexSpecs,
                PayloadIndexes = indexFiles,
                MultiDataBytes = multiBytes,
            };
            AtomicFile.WriteAllBytes(SegmentFiles.ManifestPath(Directory), manifest.ToJson()); // the commit point
            foreach (string f in obsoleteIndexFiles) File.Delete(f);

            if (generation != _deletedGeneration)
            {
                if (_deletedGeneration > 0) File.Delete(SegmentFiles.DeletedPath(Directory, _deletedGeneration));
                _deletedGeneration = generation;
            }
            _persistedCount = count;
            _persistedPayloadBytes = payloadBytes;
            _persistedMultiBytes = multiBytes;
            _persistedDeleteMarks = marks;
        }
    }

    /// <summary>Closes the segment and removes its folder.</summary>
    public void DeleteFiles()
    {
        Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>Releases every mapping and file handle. Does not flush. Readers must be done: spans handed out before
    /// point into the released mappings.</summary>
    public void Dispose()
    {
        lock (_flushLock)
        {
            lock (_writeLock)
            {
                if (_disposed) return;
                _disposed = true;
                Volatile.Write(ref _slotCount, 0); // later reads fail the offset check instead of touching unmapped memory
                DisposeIndexes();
                foreach (DenseVectorStorage? v in _vectors) v?.Dispose();
                foreach (MultiVectorStorage? v in _multi) v?.Dispose();
                _payload.Dispose();
            }
        }
    }

    internal static SegmentVectorSpec[] ValidateSpecs(IReadOnlyList<SegmentVectorSpec> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var specs = new SegmentVectorSpec[vectors.Count];
        for (int i = 0; i < specs.Length; i++)
        {
            SegmentVectorSpec v = vectors[i] ?? throw new ArgumentException("Null vector spec", nameof(vectors));
            if (v.Dimension is < 1 or > SegmentManifest.MaxDimension)
                throw new ArgumentException($"Vector `{v.Name}` has dimension {v.Dimension}", nameof(vectors));
            if (!names.Add(v.Name)) throw new ArgumentException($"Vector `{v.Name}` appears twice", nameof(vectors));
            specs[i] = v;
        }
        return specs;
    }
}
