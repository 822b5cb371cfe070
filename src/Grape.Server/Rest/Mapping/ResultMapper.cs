using System.Text.Json.Nodes;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Core.Query;
using Grape.Server.Rest.Dto;

namespace Grape.Server.Rest.Mapping;

/// <summary>Core's results → Qdrant's response shapes.</summary>
internal static class ResultMapper
{
    public static UpdateResultDto Update(UpdateResult r) =>
        new(r.OperationId, r.Status == UpdateStatus.Completed ? "completed" : "acknowledged");

    public static List<UpdateResultDto> Updates(IReadOnlyList<UpdateResult> results)
    {
        var list = new List<UpdateResultDto>(results.Count);
        foreach (var r in results) list.Add(Update(r));
        return list;
    }

    public static RecordDto Record(Record r, bool withPayload) =>
        new(r.Id, withPayload ? r.Payload ?? new JsonObject() : null, r.Vectors is { } v ? new VectorsOutput(v) : null);

    public static List<RecordDto> Records(IReadOnlyList<Record> records, PayloadSelector payload)
    {
        var list = new List<RecordDto>(records.Count);
        foreach (var r in records) list.Add(Record(r, payload.Enabled));
        return list;
    }

    public static List<ScoredPointDto> Scored(IReadOnlyList<ScoredPoint> points, PayloadSelector payload)
    {
        var list = new List<ScoredPointDto>(points.Count);
        foreach (var p in points)
            list.Add(new ScoredPointDto(p.Id, p.Version, p.Score, payload.Enabled ? p.Payload ?? new JsonObject() : null, p.Vectors is { } v ? new VectorsOutput(v) : null,
                p.OrderValue is { } o ? (o.IsInteger ? JsonValue.Create(o.Integer) : JsonValue.Create(o.Float)) : null));
        return list;
    }

    public static QueryResponseDto Query(IReadOnlyList<ScoredPoint> points, PayloadSelector payload, QueryExplain? explain = null) =>
        new(Scored(points, payload), explain?.Stages.Select(s => new QueryStageDto(s.Depth, s.Role, s.Query, s.Method, s.Prefetches, s.Candidates, s.Elapsed.TotalMilliseconds)).ToList());

    public static GroupsResultDto Groups(IReadOnlyList<PointGroup> groups, PayloadSelector payload, PayloadSelector? lookupPayload)
    {
        var list = new List<PointGroupDto>(groups.Count);
        foreach (var g in groups)
        {
            JsonNode id = g.Id.IsString ? JsonValue.Create(g.Id.String!) : JsonValue.Create(g.Id.Number);
            list.Add(new PointGroupDto(id, Scored(g.Hits, payload), g.Lookup is { } r ? Record(r, lookupPayload?.Enabled ?? true) : null));
        }
        return new GroupsResultDto(list);
    }

    public static SearchMatrixPairsDto Pairs(SearchMatrixResult m)
    {
        var pairs = new List<SearchMatrixPairDto>();
        for (int i = 0; i < m.Ids.Count; i++)
            foreach (var n in m.Rows[i]) pairs.Add(new SearchMatrixPairDto(m.Ids[i], n.Id, n.Score));
        return new SearchMatrixPairsDto(pairs);
    }

    public static SearchMatrixOffsetsDto Offsets(SearchMatrixResult m)
    {
        var offsetOf = new Dictionary<PointId, ulong>(m.Ids.Count);
        for (int i = 0; i < m.Ids.Count; i++) offsetOf[m.Ids[i]] = (ulong)i;
        List<ulong> rows = [], cols = [];
        List<float> scores = [];
        for (int i = 0; i < m.Ids.Count; i++)
        {
            foreach (var n in m.Rows[i])
            {
                rows.Add((ulong)i);
                cols.Add(offsetOf[n.Id]);
                scores.Add(n.Score);
            }
        }
        return new SearchMatrixOffsetsDto(rows, cols, scores, [.. m.Ids]);
    }
}
