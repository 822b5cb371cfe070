using Grape.Core.Filtering.Conditions;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections.Shards;

internal sealed partial class LocalShard
{
    /// <summary>Applies a logged operation to the segments; the caller holds the write lock (or is replaying at open).</summary>
    private void ApplyLocked(ShardOperation op, ulong opNum)
    {
        switch (op)
        {
            case ShardOperation.Upsert u:
                foreach (var p in u.Points) WritePoint(p.Id, p.Vectors, p.PayloadJson, opNum);
                break;
            case ShardOperation.Delete d:
                foreach (var id in d.Ids) DeletePoint(id);
                break;
            case ShardOperation.SetPayload s:
            {
                var values = s.Overwrite ? null : PayloadJson.Parse(s.PayloadJson);
                foreach (var id in s.Ids)
                {
                    if (!TryLocate(_current, id, out var seg, out var off)) continue;
                    byte[] payload;
                    if (s.Overwrite)
                    {
                        if (s.Key is null) payload = s.PayloadJson;
                        else
                        {
                            var target = new System.Text.Json.Nodes.JsonObject();
                            PayloadOps.Set(target, PayloadJson.Parse(s.PayloadJson), s.Key);
                            payload = PayloadJson.ToUtf8(target);
                        }
                    }
                    else
                    {
                        var current = PayloadJson.Parse(seg.GetPayload(off));
                        PayloadOps.Set(current, (System.Text.Json.Nodes.JsonObject)values!.DeepClone(), s.Key);
                        payload = PayloadJson.ToUtf8(current);
                    }
                    WritePoint(id, CopyVectors(seg, off), payload, opNum);
                }
                break;
            }
            case ShardOperation.DeletePayload dp:
                foreach (var id in dp.Ids)
                {
                    if (!TryLocate(_current, id, out var seg, out var off)) continue;
                    var current = PayloadJson.Parse(seg.GetPayload(off));
                    PayloadOps.DeleteKeys(current, dp.Keys);
                    WritePoint(id, CopyVectors(seg, off), PayloadJson.ToUtf8(current), opNum);
                }
                break;
            case ShardOperation.ClearPayload c:
                foreach (var id in c.Ids)
                {
                    if (TryLocate(_current, id, out var seg, out var off)) WritePoint(id, CopyVectors(seg, off), [], opNum);
                }
                break;
            case ShardOperation.UpdateVectors uv:
                foreach (var p in uv.Points)
                {
                    if (!TryLocate(_current, p.Id, out var seg, out var off)) continue;
                    var vectors = CopyVectors(seg, off);
                    for (int i = 0; i < vectors.Length && i < p.Vectors.Length; i++)
                        if (p.Vectors[i] is { } v) vectors[i] = v;
                    WritePoint(p.Id, vectors, seg.GetPayload(off).ToArray(), opNum);
                }
                break;
            case ShardOperation.DeleteVectors dv:
                foreach (var id in dv.Ids)
                {
                    if (!TryLocate(_current, id, out var seg, out var off)) continue;
                    var vectors = CopyVectors(seg, off);
                    foreach (var i in dv.VectorIndexes) vectors[i] = null;
                    WritePoint(id, vectors, seg.GetPayload(off).ToArray(), opNum);
                }
                break;
            case ShardOperation.CreateFieldIndex ci:
                ApplyCreateFieldIndex(ci);
                break;
            case ShardOperation.DeleteFieldIndex di:
                ApplyDeleteFieldIndex(di);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op));
        }
        Volatile.Write(ref _appliedOpNum, opNum);
    }

    /// <summary>
    /// Writes a point into the appendable segment, then removes any older copy from the other segments. In that order a
    /// concurrent reader may briefly see two copies (merged by version) but never none.
    /// </summary>
    private void WritePoint(PointId id, float[]?[] vectors, ReadOnlySpan<byte> payload, ulong version)
    {
        var set = _current;
        set.Appendable.Upsert(version, id, vectors, payload);
        foreach (var s in set.Segments)
            if (!ReferenceEquals(s, set.Appendable)) s.Delete(id);
    }

    private void DeletePoint(PointId id)
    {
        foreach (var s in _current.Segments) s.Delete(id);
    }

    private float[]?[] CopyVectors(Segment seg, uint off)
    {
        var vectors = new float[]?[Specs.Length];
        for (int i = 0; i < vectors.Length; i++)
            if (seg.HasVector(off, i)) vectors[i] = seg.GetVector(off, i).ToArray();
        return vectors;
    }

    /// <summary>Finds the live copy of a point (the newest, should a reader race a write).</summary>
    internal static bool TryLocate(SegmentSet set, PointId id, out Segment segment, out uint offset)
    {
        segment = null!;
        offset = 0;
        ulong best = 0;
        bool found = false;
        foreach (var s in set.Segments)
        {
            if (!s.TryGetOffset(id, out var off)) continue;
            var v = s.GetVersion(off);
            if (!found || v > best) { segment = s; offset = off; best = v; found = true; }
        }
        return found;
    }

    /// <summary>Ids of the live points matching a filter; called under the write lock to resolve filter-based writes.</summary>
    internal PointId[] ResolveFilterLocked(FilterEvaluator filter)
    {
        var ids = new List<PointId>();
        var seen = new HashSet<PointId>();
        foreach (var s in _current.Segments)
        {
            bool exact = false;
            var candidates = PlanCandidates(s, filter, 1.0, out exact);
            int n = candidates?.Count ?? s.SlotCount;
            for (int i = 0; i < n; i++)
            {
                uint off = candidates is { } c ? c[i] : (uint)i;
                if (s.IsDeleted(off)) continue;
                if ((exact || filter.Matches(new SegmentPoint(s, off, Specs))) && seen.Add(s.GetId(off))) ids.Add(s.GetId(off));
            }
        }
        return [.. ids];
    }

    /// <summary>Whether a point is live; for write validation under the lock.</summary>
    internal bool ContainsLocked(PointId id) => TryLocate(_current, id, out _, out _);
}
