using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// A payload index of one key in one segment (Qdrant's field index). Values are read from a point's payload the way
/// the filter evaluator reads them (the key path, then one level into an array), so an index answer is always a
/// superset of the points a condition holds for. Slots are never rewritten, so entries are only ever added; deleted
/// slots stay in and readers skip them.
/// <para>Threading: one writer (<see cref="Add"/>, under the segment's write lock) and lock-free readers.</para>
/// </summary>
internal abstract class FieldIndex
{
    private readonly PostingList _points = new(16);
    private int _maxValuesPerPoint;

    protected FieldIndex(string key, PayloadFieldSchema schema)
    {
        Key = key;
        Path = JsonPath.Parse(key);
        Schema = schema;
    }

    public string Key { get; }
    public JsonPath Path { get; }
    public PayloadFieldSchema Schema { get; }

    /// <summary>Slots with at least one indexed value, ascending.</summary>
    public PostingList Points => _points;

    public int MaxValuesPerPoint => Math.Max(1, Volatile.Read(ref _maxValuesPerPoint));

    /// <summary>Writer: indexes the values of <paramref name="payload"/> at this key for slot <paramref name="offset"/>.</summary>
    public void Add(uint offset, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty) return;
        var ctx = new EvalContext(payload, default, default);
        try
        {
            int root = ctx.Root();
            if (root < 0) return;
            var collector = new Collector(this, offset);
            int count = 0;
            PathWalker.AnyValue(ref ctx, root, Path.Segments, collector, ref count);
            if (collector.Added > 0)
            {
                _points.Add(offset);
                if (collector.Added > _maxValuesPerPoint) Volatile.Write(ref _maxValuesPerPoint, collector.Added);
                Added(offset);
            }
        }
        finally
        {
            ctx.Release();
        }
    }

    /// <summary>Writer: indexes one value (never an array) of slot <paramref name="offset"/>; true if the value has this index's type.</summary>
    protected abstract bool AddValue(uint offset, ref EvalContext ctx, int node);

    /// <summary>Writer: called once per slot after its values were added.</summary>
    protected virtual void Added(uint offset) { }

    /// <summary>The slots <paramref name="condition"/> may hold for, or null if this index cannot answer it.</summary>
    public abstract IndexHits? Query(FieldCondition condition);

    /// <summary>Writes the state covering slots below <paramref name="limit"/>.</summary>
    public void Write(BinaryWriter w, uint limit)
    {
        var pts = _points.Below(limit);
        w.Write(pts.Length);
        foreach (var p in pts) w.Write(p);
        w.Write(_maxValuesPerPoint);
        WriteValues(w, limit);
    }

    public void Read(BinaryReader r)
    {
        int n = r.ReadInt32();
        for (int i = 0; i < n; i++) _points.Add(r.ReadUInt32());
        _maxValuesPerPoint = r.ReadInt32();
        ReadValues(r);
    }

    protected abstract void WriteValues(BinaryWriter w, uint limit);
    protected abstract void ReadValues(BinaryReader r);

    /// <summary>Writes a posting list's offsets below <paramref name="limit"/>.</summary>
    protected static void WritePosting(BinaryWriter w, PostingList list, uint limit)
    {
        var s = list.Below(limit);
        w.Write(s.Length);
        foreach (var o in s) w.Write(o);
    }

    protected static PostingList ReadPosting(BinaryReader r)
    {
        var items = new uint[r.ReadInt32()];
        for (int i = 0; i < items.Length; i++) items[i] = r.ReadUInt32();
        return PostingList.FromSorted(items);
    }

    /// <summary>Whether a condition is a single predicate this kind of index may serve (no values_count/is_empty/is_null mixed in).</summary>
    protected static bool IsSingle(FieldCondition c)
    {
        int n = (c.Match is null ? 0 : 1) + (c.Range is null ? 0 : 1) + (c.DatetimeRange is null ? 0 : 1)
            + (c.GeoBoundingBox is null ? 0 : 1) + (c.GeoRadius is null ? 0 : 1) + (c.GeoPolygon is null ? 0 : 1);
        return n == 1 && c.ValuesCount is null && c.IsEmpty is null && c.IsNull is null;
    }

    private sealed class Collector(FieldIndex index, uint offset) : IValueVisitor
    {
        public int Added;

        public bool Visit(ref EvalContext ctx, int node)
        {
            if (ctx.Kind(node) == PayloadNodeKind.Array)
            {
                var tape = ctx.Tape;
                for (int e = node + 1, end = tape[node].End; e < end; e = tape[e].End)
                    if (ctx.Kind(e) != PayloadNodeKind.Array && index.AddValue(offset, ref ctx, e)) Added++;
            }
            else if (index.AddValue(offset, ref ctx, node))
            {
                Added++;
            }
            return false; // visit every value
        }
    }
}
