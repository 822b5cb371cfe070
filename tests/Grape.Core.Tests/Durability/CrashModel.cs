using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.CrashHost;
using Record = Grape.Core.Points.Record;

namespace Grape.Core.Tests.Durability;

/// <summary>
/// What the crash-host folder must contain. The host writes one operation at a time, so after a kill the stored state
/// must equal the state after some prefix of the announced operations: at least every acknowledged one (all of them
/// durable), at most every announced one (nothing never sent), and never half an operation (a batch is all or nothing).
/// Once a recovered state is observed it becomes the base of the next round.
/// </summary>
internal sealed class CrashModel
{
    /// <summary>A live point: the batch number its payload carries and its last set-payload value.</summary>
    internal readonly record struct PointState(int Batch, long? Set);

    private Dictionary<ulong, PointState> _state = [];

    /// <summary>The id the next host run starts at: above every id ever announced, so ids never repeat.</summary>
    public ulong NextId { get; private set; } = 1;

    public int TotalAcknowledged { get; private set; }
    public int TotalAnnounced { get; private set; }
    public int LivePoints => _state.Count;

    /// <summary>Parses a run's lines into the announced operations and how many of them were acknowledged.</summary>
    public static (List<CrashOp> Ops, int Acked) Parse(IReadOnlyList<string> lines)
    {
        var ops = new List<CrashOp>();
        int acked = 0;
        foreach (var line in lines)
        {
            var f = line.Split(' ');
            switch (f[0])
            {
                case "READY": break;
                case "TRY": ops.Add(new CrashOp.Upsert(U(f[1]), U(f[2]), int.Parse(f[3], CultureInfo.InvariantCulture))); break;
                case "TRYDEL": ops.Add(new CrashOp.Delete(U(f[1]))); break;
                case "TRYSET": ops.Add(new CrashOp.SetPayload(U(f[1]), long.Parse(f[2], CultureInfo.InvariantCulture))); break;
                case "ACK" or "DEL" or "SET":
                    // Acks come in order, each right after its own announcement.
                    Assert.True(acked < ops.Count, $"ack without announcement: {line}");
                    var expected = ops[acked] switch
                    {
                        CrashOp.Upsert u => $"ACK {u.First} {u.Last}",
                        CrashOp.Delete d => $"DEL {d.Id}",
                        CrashOp.SetPayload s => $"SET {s.Id} {s.Value}",
                        _ => throw new InvalidOperationException(),
                    };
                    Assert.Equal(expected, line);
                    acked++;
                    break;
                default: Assert.Fail($"unexpected crash host line `{line}`"); break;
            }
        }
        Assert.True(ops.Count - acked <= 1, "the host has at most one call in flight");
        return (ops, acked);
    }

    /// <summary>
    /// Checks <paramref name="db"/> against the states after applying <c>ops[..p]</c> for p from
    /// <c>acked - lossAllowed</c> to <c>ops.Count</c>, adopts the one found, and returns p.
    /// <paramref name="lossAllowed"/> is 1 when the test itself damaged the last log record.
    /// </summary>
    public int VerifyAndAdopt(GrapeDatabase db, IReadOnlyList<CrashOp> ops, int acked, int lossAllowed, string context)
    {
        var actual = ReadAll(db);
        int from = Math.Max(0, acked - lossAllowed);
        var candidate = Apply(_state, ops, 0, from);
        var mismatches = new StringBuilder();
        for (int p = from; ; p++)
        {
            var diff = Compare(candidate, actual);
            if (diff is null)
            {
                _state = candidate;
                foreach (var op in ops) if (op is CrashOp.Upsert u) NextId = Math.Max(NextId, u.Last + 1);
                TotalAcknowledged += acked;
                TotalAnnounced += ops.Count;
                CheckReadPaths(db, context);
                return p;
            }
            mismatches.Append(CultureInfo.InvariantCulture, $"\n  after {p} of {ops.Count} ops ({acked} acknowledged): {diff}");
            if (p == ops.Count) break;
            candidate = Apply(candidate, ops, p, p + 1);
        }
        Assert.Fail($"{context}: stored state matches no prefix of the announced writes:{mismatches}");
        return -1;
    }

    private static Dictionary<ulong, PointState> Apply(Dictionary<ulong, PointState> state, IReadOnlyList<CrashOp> ops, int from, int to)
    {
        var next = new Dictionary<ulong, PointState>(state);
        for (int i = from; i < to; i++)
        {
            switch (ops[i])
            {
                case CrashOp.Upsert u:
                    for (ulong id = u.First; id <= u.Last; id++) next[id] = new PointState(u.Batch, null);
                    break;
                case CrashOp.Delete d:
                    next.Remove(d.Id);
                    break;
                case CrashOp.SetPayload s:
                    Assert.True(next.TryGetValue(s.Id, out var p), $"set-payload on {s.Id}, which the model has not live");
                    next[s.Id] = p with { Set = s.Value };
                    break;
            }
        }
        return next;
    }

    /// <summary>Every stored point through scroll (payload and vector), paging by <c>next_page_offset</c>.</summary>
    private static Dictionary<ulong, Record> ReadAll(GrapeDatabase db)
    {
        var all = new Dictionary<ulong, Record>();
        PointId? offset = null;
        do
        {
            var page = db.Scroll(CrashData.Collection, new ScrollRequest
            {
                Limit = 500,
                Offset = offset,
                WithPayload = PayloadSelector.All,
                WithVectors = VectorSelector.All,
            });
            foreach (var r in page.Points) Assert.True(all.TryAdd(r.Id.Number, r), $"scroll returned {r.Id} twice");
            offset = page.NextPageOffset;
        } while (offset is not null);
        return all;
    }

    /// <summary>Null when <paramref name="actual"/> holds exactly the expected points with exact payloads and vectors.</summary>
    private static string? Compare(Dictionary<ulong, PointState> expected, Dictionary<ulong, Record> actual)
    {
        var missing = expected.Keys.Where(id => !actual.ContainsKey(id)).Order().Take(5).ToList();
        if (missing.Count > 0) return $"missing ids {string.Join(",", missing)}…";
        var extra = actual.Keys.Where(id => !expected.ContainsKey(id)).Order().Take(5).ToList();
        if (extra.Count > 0) return $"unexpected ids {string.Join(",", extra)}…";
        foreach (var (id, state) in expected)
        {
            var r = actual[id];
            var why = CheckPoint(id, state, r);
            if (why is not null) return why;
        }
        return null;
    }

    private static string? CheckPoint(ulong id, PointState state, Record r)
    {
        var want = JsonNode.Parse(CrashData.PayloadOf(id, state.Batch, state.Set).ToJsonString());
        var got = r.Payload is null ? null : JsonNode.Parse(r.Payload.ToJsonString());
        if (!JsonNode.DeepEquals(want, got)) return $"point {id}: payload {got?.ToJsonString()} != {want!.ToJsonString()}";
        if (r.Vectors is null || !r.Vectors.TryGetValue(PointStruct.DefaultVector, out var v)) return $"point {id}: no vector";
        if (!v.Dense.AsSpan().SequenceEqual(CrashData.VectorOf(id))) return $"point {id}: vector [{string.Join(",", v.Dense)}] differs";
        return null;
    }

    /// <summary>The adopted state through the other read paths: get by id, count, and search.</summary>
    private void CheckReadPaths(GrapeDatabase db, string context)
    {
        Assert.Equal((long)_state.Count, db.Count(CrashData.Collection));
        var ids = _state.Keys.Select(PointId.FromNumber).ToList();
        var records = db.Get(CrashData.Collection, ids, PayloadSelector.All, VectorSelector.All);
        Assert.Equal(ids.Count, records.Count);
        foreach (var r in records)
        {
            var why = CheckPoint(r.Id.Number, _state[r.Id.Number], r);
            Assert.True(why is null, $"{context}: get by id: {why}");
        }
        foreach (var id in _state.Keys.Order().Where((_, i) => i % 97 == 0).Take(5))
        {
            var query = CrashData.VectorOf(id);
            var hits = db.Search(CrashData.Collection, new SearchRequest(query) { Limit = 1 });
            Assert.Single(hits);
            // Ids 10007 apart share a vector, so check the distance and the found point's vector, not the id.
            Assert.Equal(0f, hits[0].Score);
            Assert.True(CrashData.VectorOf(hits[0].Id.Number).AsSpan().SequenceEqual(query), $"{context}: search for {id} found {hits[0].Id}");
        }
    }

    private static ulong U(string s) => ulong.Parse(s, CultureInfo.InvariantCulture);
}
