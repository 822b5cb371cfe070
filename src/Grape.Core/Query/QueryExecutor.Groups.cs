using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Query;

// query_groups: the ranked list cut into groups by a payload value.
internal sealed partial class QueryExecutor
{
    /// <summary>Qdrant's budget of candidate requests: up to 5 to discover groups, then up to 5 to fill the best ones.</summary>
    private const int CollectRequests = 5, FillRequests = 5;

    /// <summary>
    /// Groups the query's ranked points by the values at <c>group_by</c> (strings and integers; an array puts the
    /// point in every element's group; a point with any other value type, or none, is skipped, as in Qdrant), with
    /// Qdrant's request driver: each request fetches <c>limit × group_size</c> candidates (nested prefetch limits
    /// scaled by <c>group_size</c>) that have the key and are not yet grouped; while collecting, groups already full
    /// are excluded (<c>match.except</c>); once enough groups exist, or collecting found nothing, requests are
    /// restricted to the best groups still short of points (<c>match.any</c>). Groups come in the order of their best
    /// point, hits in rank order. Candidates arrive in rank order across requests (each request ranks below the points
    /// already taken), so discovery order is the rank.
    /// </summary>
    public IReadOnlyList<PointGroup> RunGroups(QueryGroupsRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckLimit(request.Limit, "limit");
        CheckLimit(request.GroupSize, "group_size");
        var path = JsonPath.Parse(request.GroupBy);
        var query = request.Query;
        int candidates = (int)Math.Min((long)request.Limit * request.GroupSize, Collection.MaxLimit);
        var groups = new GroupAggregator(request.Limit, request.GroupSize);
        var keys = new List<GroupId>();
        bool filling = false;
        int collectLeft = CollectRequests, fillLeft = FillRequests;
        while (true)
        {
            List<Condition> must;
            if (!filling && collectLeft > 0)
            {
                collectLeft--;
                must = MatchConditions(request.GroupBy, groups.FullKeys(), except: true);
            }
            else if (fillLeft > 0)
            {
                filling = true;
                fillLeft--;
                must = MatchConditions(request.GroupBy, groups.UnfilledBestKeys(), except: false);
            }
            else break;
            var mustNot = new List<Condition>(2) { new IsEmptyCondition(request.GroupBy) };
            if (groups.Ids.Count > 0) mustNot.Add(new HasIdCondition(new HashSet<PointId>(groups.Ids)));
            var shaped = query with
            {
                Filter = Merge(query.Filter, new Filter { Must = must.Count > 0 ? must : null, MustNot = mustNot }),
                Prefetches = ScaleLimits(query.Prefetches, request.GroupSize),
            };
            var hits = RunRoot(shaped, candidates, 0);
            foreach (var h in hits)
                if (TryGroupKeys(h, path, keys)) groups.Add(h, keys);

            bool enough = groups.FilledBestCount() >= request.Limit;
            if (enough || (filling && hits.Count == 0)) break;
            if (hits.Count == 0) filling = true; // nothing left to discover: try filling
        }

        Collection? lookup = request.WithLookup is { } wl ? _collections(wl.Collection) : null;
        var best = groups.Distill();
        var result = new List<PointGroup>(best.Count);
        foreach (var (id, hits) in best)
        {
            Record? record = null;
            if (lookup is not null && ToPointId(id) is { } pid)
            {
                var found = lookup.Retrieve([pid], request.WithLookup!.WithPayload, request.WithLookup.WithVectors);
                record = found.Count > 0 ? found[0] : null;
            }
            result.Add(new PointGroup(id, Materialize(hits, query.WithPayload, query.WithVectors), record));
        }
        return result;
    }

    /// <summary>Prefetch trees with every limit times <paramref name="factor"/> (Qdrant: enough candidates survive each stage for the groups).</summary>
    private static IReadOnlyList<Prefetch> ScaleLimits(IReadOnlyList<Prefetch> prefetches, int factor)
    {
        if (prefetches.Count == 0 || factor == 1) return prefetches;
        var scaled = new Prefetch[prefetches.Count];
        for (int i = 0; i < scaled.Length; i++)
        {
            var p = prefetches[i];
            scaled[i] = p with { Limit = (int)Math.Min((long)p.Limit * factor, Collection.MaxLimit), Prefetches = ScaleLimits(p.Prefetches, factor) };
        }
        return scaled;
    }

    /// <summary>
    /// Qdrant's <c>except_on</c> / <c>match_on</c>: one <c>match.except</c> (or <c>match.any</c>) condition for the
    /// integer keys and one for the string keys, both required.
    /// </summary>
    private static List<Condition> MatchConditions(string key, List<GroupId> values, bool except)
    {
        var ints = new List<MatchScalar>();
        var strings = new List<MatchScalar>();
        foreach (var v in values)
        {
            if (v.IsString) strings.Add(MatchScalar.Of(v.String!));
            else ints.Add(MatchScalar.Of(v.Number));
        }
        var conditions = new List<Condition>(2);
        foreach (var list in (ReadOnlySpan<List<MatchScalar>>)[ints, strings])
        {
            if (list.Count == 0) continue;
            conditions.Add(new FieldCondition(key) { Match = except ? new MatchExcept(list) : new MatchAny(list) });
        }
        return conditions;
    }

    /// <summary>
    /// Qdrant's groups aggregator over candidates fed in rank order: each group's hits (one per id), the groups that
    /// reached <c>group_size</c>, every grouped id, and the rank of each group's best hit (its first).
    /// </summary>
    private sealed class GroupAggregator(int maxGroups, int groupSize)
    {
        private readonly Dictionary<GroupId, List<Candidate>> _groups = [];
        private readonly List<GroupId> _byBest = []; // groups in the order of their best hit
        private readonly HashSet<GroupId> _full = [];

        public HashSet<PointId> Ids { get; } = [];

        public void Add(Candidate hit, List<GroupId> keys)
        {
            foreach (var key in keys)
            {
                if (!_groups.TryGetValue(key, out var hits))
                {
                    _groups[key] = hits = [];
                    _byBest.Add(key);
                }
                if (hits.Exists(h => h.Id == hit.Id)) continue;
                hits.Add(hit);
                Ids.Add(hit.Id);
                if (hits.Count == groupSize) _full.Add(key);
            }
        }

        public List<GroupId> FullKeys() => [.. _full];

        public List<GroupId> UnfilledBestKeys()
        {
            var keys = new List<GroupId>();
            for (int i = 0; i < _byBest.Count && i < maxGroups; i++)
                if (!_full.Contains(_byBest[i])) keys.Add(_byBest[i]);
            return keys;
        }

        public int FilledBestCount()
        {
            int n = 0;
            for (int i = 0; i < _byBest.Count && i < maxGroups; i++)
                if (_full.Contains(_byBest[i])) n++;
            return n;
        }

        public List<(GroupId Id, List<Candidate> Hits)> Distill()
        {
            var result = new List<(GroupId, List<Candidate>)>(Math.Min(maxGroups, _byBest.Count));
            for (int i = 0; i < _byBest.Count && i < maxGroups; i++)
            {
                var hits = _groups[_byBest[i]];
                if (hits.Count > groupSize) hits.RemoveRange(groupSize, hits.Count - groupSize);
                result.Add((_byBest[i], hits));
            }
            return result;
        }
    }

    private static bool TryGroupKeys(Candidate h, JsonPath path, List<GroupId> keys)
    {
        keys.Clear();
        var payload = PayloadJson.Parse(h.Segment.GetPayload(h.Offset));
        foreach (var node in PayloadValues.Get(payload, path))
        {
            GroupId key;
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String) key = GroupId.FromString(v.GetValue<string>());
            else if (node is JsonValue n && n.GetValueKind() == JsonValueKind.Number
                     && long.TryParse(n.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long l))
                key = GroupId.FromNumber(l);
            else return false; // Qdrant skips a point with a value that cannot be a group id
            if (!keys.Contains(key)) keys.Add(key);
        }
        return keys.Count > 0;
    }

    private static PointId? ToPointId(GroupId id)
    {
        if (!id.IsString) return id.Number >= 0 ? PointId.FromNumber((ulong)id.Number) : null;
        return Guid.TryParse(id.String, out var g) ? PointId.FromUuid(g) : null;
    }

    /// <summary>
    /// Qdrant's distance matrix: a random sample of points having the vector (and matching the filter), sorted by id;
    /// for each, its <c>limit</c> nearest among the sample other than itself.
    /// </summary>
    public SearchMatrixResult RunMatrix(SearchMatrixRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Sample < 0 || request.Limit < 0) ThrowHelper.BadRequest("Validation error in sample/limit: must be 0 or more");
        var empty = new SearchMatrixResult([], []);
        if (request.Sample == 0 || request.Limit == 0) return empty;
        var (column, distance, _) = _collection.VectorColumn(request.Using);
        var filter = Merge(request.Filter, Filtering.Model.Filter.MustAll(new Filtering.Model.HasVectorCondition(request.Using)));
        var sample = SampleScan(Compile(filter), Math.Min(request.Sample, Collection.MaxLimit), null);
        if (sample.Count < 2) return empty;
        sample.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        var vectors = sample.ConvertAll(c => c.Segment.GetVector(c.Offset, column).ToArray());
        var rows = new List<IReadOnlyList<MatrixNeighbour>>(sample.Count);
        var ranked = new List<(float Rank, int Index)>(sample.Count);
        for (int i = 0; i < sample.Count; i++)
        {
            _ct.ThrowIfCancellationRequested();
            var scorer = VectorScorer.Nearest(distance, column, vectors[i], _collection.MultiDimension(column), _collection.ColumnDatatype(column));
            ranked.Clear();
            for (int j = 0; j < sample.Count; j++) ranked.Add((scorer.Rank(vectors[j]), j));
            ranked.Sort((a, b) => b.Rank.CompareTo(a.Rank) is var x && x != 0 ? x : sample[a.Index].Id.CompareTo(sample[b.Index].Id));
            // Qdrant searches limit + 1 and drops the point itself, or the last one when the point is not among them.
            int take = Math.Min(request.Limit + 1, ranked.Count);
            var row = new List<MatrixNeighbour>(take);
            bool self = false;
            for (int r = 0; r < take; r++)
            {
                if (ranked[r].Index == i) { self = true; continue; }
                row.Add(new MatrixNeighbour(sample[ranked[r].Index].Id, scorer.ToScore(ranked[r].Rank)));
            }
            if (!self && row.Count == request.Limit + 1) row.RemoveAt(row.Count - 1);
            rows.Add(row);
        }
        return new SearchMatrixResult(sample.ConvertAll(c => c.Id), rows);
    }
}
