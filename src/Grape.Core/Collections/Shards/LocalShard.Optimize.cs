using Grape.Core.Indexing.Hnsw;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

internal sealed partial class LocalShard
{
    /// <summary>
    /// Rebuilds <paramref name="inputs"/> into one immutable segment while reads and writes go on (Qdrant's proxy
    /// scheme, in our terms): if the appendable segment is an input, writes move to a fresh appendable segment first;
    /// inputs then only receive delete marks. The new segment is built from the slots live at the start; at the swap,
    /// under the write lock, every source slot deleted since is deleted in the result too, so no write is lost.
    /// Columns whose indexing plan wants a graph get one, built from the result's own vectors after its
    /// files are written and before the swap (the result is not published yet, so a crash leaves no half index).
    /// Returns the number of points in the result, or -1 if the inputs were no longer current.
    /// </summary>
    public int Optimize(IReadOnlyList<Segment> inputs, CancellationToken cancellationToken) =>
        Optimize(inputs, [], cancellationToken);

    /// <inheritdoc cref="Optimize(IReadOnlyList{Segment}, CancellationToken)"/>
    public int Optimize(IReadOnlyList<Segment> inputs, IReadOnlyList<HnswColumnPlan?> indexing, CancellationToken cancellationToken)
    {
        using (EnterWriteGate())
        {
            if (_disposed) return -1;
            var set = _current;
            foreach (var input in inputs)
                if (Array.IndexOf(set.Segments, input) < 0) return -1;
            if (inputs.Contains(set.Appendable))
            {
                var appendable = Segment.CreateAppendable(NewSegmentDir(_directory), Specs);
                EnsurePayloadIndexes(appendable);
                SwapLocked(new SegmentSet([.. set.Segments, appendable], appendable), dropped: []);
            }
        }

        string dir = NewSegmentDir(_directory);
        var sources = new List<(Segment Segment, uint Offset)>();
        Segment? result = null;
        try
        {
            using (var builder = new SegmentBuilder(dir, Specs))
            {
                foreach (var input in inputs)
                {
                    int n = input.SlotCount;
                    for (uint off = 0; off < (uint)n; off++)
                    {
                        if ((off & 0xFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                        if (input.IsDeleted(off)) continue;
                        builder.Add(input, off);
                        sources.Add((input, off));
                    }
                }
                if (sources.Count > 0) result = builder.Build();
            }
            // Payload indexes first: the graphs' payload links are built from them. Built outside the lock; checked again at the swap.
            if (result is not null) EnsurePayloadIndexes(result);
            if (result is not null) SegmentIndexer.BuildIndexes(result, indexing, cancellationToken);

            using (EnterWriteGate())
            {
                if (_disposed) { result?.DeleteFiles(); return -1; }
                var set = _current;
                if (result is not null)
                {
                    EnsurePayloadIndexes(result); // an index created or dropped while building
                    foreach (var (src, off) in sources)
                        if (src.IsDeleted(off)) result.Delete(src.GetId(off));
                }
                var kept = set.Segments.Where(s => !inputs.Contains(s));
                var next = result is null ? kept.ToArray() : [.. kept, result];
                SwapLocked(new SegmentSet(next, set.Appendable), inputs);
            }
            return sources.Count;
        }
        catch
        {
            result?.DeleteFiles();
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    /// <summary>Makes <paramref name="next"/> current and durable; <paramref name="dropped"/> go once no reader pins the old set.</summary>
    private void SwapLocked(SegmentSet next, IReadOnlyList<Segment> dropped)
    {
        var old = _current;
        Volatile.Write(ref _current, next);
        // Persist the new list before the dropped folders can go: a crash in between reopens the old, complete state.
        FlushLocked();
        old.Retire(dropped);
    }
}
