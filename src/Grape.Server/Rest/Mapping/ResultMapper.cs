using System.Text.Json.Nodes;
using Grape.Core.Embedded;
using Grape.Core.Points;
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
            list.Add(new ScoredPointDto(p.Id, p.Version, p.Score, payload.Enabled ? p.Payload ?? new JsonObject() : null, p.Vectors is { } v ? new VectorsOutput(v) : null));
        return list;
    }
}
