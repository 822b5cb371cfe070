using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

/// <summary>
/// An immutable list of a shard's segments that readers pin while they use it. When the optimizer swaps in a new
/// set, the segments that left are closed and deleted only after the last reader of the old set releases it:
/// a search never reads a mapping that has been unmapped.
/// </summary>
internal sealed class SegmentSet
{
    private int _refs = 1; // the shard's own reference while this set is current
    private IReadOnlyList<Segment>? _retired;

    public SegmentSet(Segment[] segments, Segment appendable)
    {
        Segments = segments;
        Appendable = appendable;
    }

    /// <summary>Every segment, the appendable one included.</summary>
    public Segment[] Segments { get; }

    /// <summary>The segment that takes new points.</summary>
    public Segment Appendable { get; }

    /// <summary>Pins the set; false if it has been fully released (the caller re-reads the current set).</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int r = Volatile.Read(ref _refs);
            if (r == 0) return false;
            if (Interlocked.CompareExchange(ref _refs, r + 1, r) == r) return true;
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _refs) == 0 && _retired is { } retired)
        {
            foreach (var s in retired) s.DeleteFiles();
        }
    }

    /// <summary>Called once when the set stops being current: <paramref name="dropped"/> are deleted once no reader pins the set.</summary>
    public void Retire(IReadOnlyList<Segment> dropped)
    {
        _retired = dropped;
        Release();
    }
}
