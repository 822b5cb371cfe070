using Grape.Core.Errors;
using Grape.Core.Indexing.Hnsw;

namespace Grape.Core.Storage.Segments;

internal sealed partial class Segment
{
    private SegmentIndexSpec?[] _indexSpecs = [];
    private HnswGraph?[] _graphs = [];

    /// <summary>The HNSW graph of a column, or null when the segment has none for it.</summary>
    public HnswGraph? GetHnsw(int vectorIndex) => Volatile.Read(ref _graphs)[vectorIndex];

    /// <summary>How the column's graph was built, or null.</summary>
    public SegmentIndexSpec? GetIndexSpec(int vectorIndex) => Volatile.Read(ref _indexSpecs)[vectorIndex];

    /// <summary>Bytes of vector data in one column (stored vectors × dim × element bytes), the unit of Qdrant's thresholds.</summary>
    public long ColumnVectorBytes(int vectorIndex) => _vectors[vectorIndex]?.VectorBytes ?? _multi[vectorIndex]!.VectorBytes;

    /// <summary>Vectors stored in one column (live or deleted).</summary>
    public long ColumnVectorCount(int vectorIndex) => _vectors[vectorIndex]?.StoredCount ?? _multi[vectorIndex]!.StoredCount;

    /// <summary>An immutable segment's column as one contiguous block (slot = node). Valid while the segment is open.</summary>
    public unsafe VectorBlock GetVectorBlock(int vectorIndex)
    {
        if (IsAppendable) throw new InvalidOperationException("An appendable segment's vectors are chunked");
        Grape.Core.Storage.Vectors.DenseVectorStorage dense = _vectors[vectorIndex] ?? throw new InvalidOperationException("A multivector column has no fixed-stride block");
        return new VectorBlock(dense.ContiguousBase, _specs[vectorIndex].Dimension, dense.StrideBytes, SlotCount);
    }

    /// <summary>An immutable segment's multivector column as a per-slot row table (slot = node). Valid while the segment is open.</summary>
    public MultiVectorBlock GetMultiVectorBlock(int vectorIndex)
    {
        if (IsAppendable) throw new InvalidOperationException("An appendable segment's multivectors are chunked");
        Grape.Core.Storage.Vectors.MultiVectorStorage multi = _multi[vectorIndex] ?? throw new InvalidOperationException("A dense column has no multivector rows");
        var table = multi.GetRowTable(SlotCount);
        return new MultiVectorBlock(table.Starts, table.Rows, _specs[vectorIndex].Dimension, Grape.Core.Storage.Vectors.VectorEncoding.ElementBytes(_specs[vectorIndex].Datatype));
    }

    /// <summary>
    /// Immutable segments, before they are published: makes the graphs (already saved under <see cref="SegmentFiles.HnswPath"/>
    /// and fsynced) part of the segment by rewriting the manifest atomically; a crash before that leaves the segment as it
    /// was (the stray files are ignored and overwritten by a later build). <paramref name="graphs"/>[i] is null where
    /// <paramref name="specs"/>[i] is. Ownership of the graphs passes to the segment.
    /// </summary>
    public void AttachIndexes(SegmentIndexSpec?[] specs, HnswGraph?[] graphs)
    {
        if (IsAppendable) throw new InvalidOperationException("Only immutable segments hold HNSW graphs");
        if (specs.Length != _specs.Length || graphs.Length != _specs.Length) throw new ArgumentException("One entry per vector column expected");
        System.IO.Directory.CreateDirectory(SegmentFiles.HnswDir(Directory));
        AtomicFile.FsyncDirectory(SegmentFiles.HnswDir(Directory));
        lock (_flushLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var manifest = new SegmentManifest(Id, IsAppendable, _specs, _chunkSlots, _payloadChunkBytes, _persistedCount,
                _persistedPayloadBytes, _deletedGeneration)
            { Indexes = specs, MultiDataBytes = _persistedMultiBytes };
            AtomicFile.WriteAllBytes(SegmentFiles.ManifestPath(Directory), manifest.ToJson());
            HnswGraph?[] old = _graphs;
            Volatile.Write(ref _indexSpecs, (SegmentIndexSpec?[])specs.Clone());
            Volatile.Write(ref _graphs, graphs);
            foreach (HnswGraph? g in old) g?.Dispose(); // only before publication: no reader holds them
        }
    }

    private void OpenIndexes(SegmentManifest manifest)
    {
        var specs = new SegmentIndexSpec?[_specs.Length];
        var graphs = new HnswGraph?[_specs.Length];
        try
        {
            for (int i = 0; i < specs.Length && i < manifest.Indexes.Count; i++)
            {
                if (manifest.Indexes[i] is not { } spec) continue;
                string path = SegmentFiles.HnswPath(Directory, i);
                HnswGraph g = HnswGraph.Open(path, spec.OnDisk);
                graphs[i] = g;
                if (spec.PayloadM > 0) g.PayloadLinks = HnswPayloadLinks.Open(SegmentFiles.HnswPayloadLinksPath(Directory, i), g.NodeCount);
                if (g.NodeCount != manifest.SlotCount || g.M != spec.M)
                    ThrowHelper.Corrupted($"HNSW graph `{path}` does not match its segment ({g.NodeCount} nodes, M={g.M})");
                specs[i] = spec;
            }
        }
        catch
        {
            foreach (HnswGraph? g in graphs) g?.Dispose();
            throw;
        }
        _indexSpecs = specs;
        _graphs = graphs;
    }

    private void DisposeIndexes()
    {
        foreach (HnswGraph? g in _graphs) g?.Dispose();
    }
}
