using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Grape.Core.Points;

namespace Grape.Server.Rest.Dto;

/// <summary>Qdrant's <c>UpdateResult</c>.</summary>
internal sealed record UpdateResultDto(ulong? OperationId, string Status);

/// <summary>Qdrant's <c>Record</c>: absent optional members are omitted, not null.</summary>
internal sealed record RecordDto(PointId Id, JsonObject? Payload, VectorsOutput? Vector);

/// <summary>Qdrant's <c>ScoredPoint</c>.</summary>
internal sealed record ScoredPointDto(PointId Id, ulong Version, float Score, JsonObject? Payload, VectorsOutput? Vector, JsonNode? OrderValue = null);

/// <summary>Qdrant's <c>ScrollResult</c>; <c>next_page_offset</c> is always present (null on the last page).</summary>
internal sealed record ScrollResultDto(
    List<RecordDto> Points,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] PointId? NextPageOffset);

internal sealed record CountResultDto(long Count);

/// <summary>Qdrant's <c>QueryResponse</c>.</summary>
internal sealed record QueryResponseDto(List<ScoredPointDto> Points, List<QueryStageDto>? Explain = null);

/// <summary>Grape's query plan explanation (the <c>"explain": true</c> extension): one entry per stage.</summary>
internal sealed record QueryStageDto(int Depth, string Role, string Query, string Method, int Prefetches, int Candidates, double ElapsedMs);

/// <summary>Qdrant's <c>GroupsResult</c>.</summary>
internal sealed record GroupsResultDto(List<PointGroupDto> Groups);

/// <summary>Qdrant's <c>PointGroup</c>: id is a string or an integer.</summary>
internal sealed record PointGroupDto(JsonNode Id, List<ScoredPointDto> Hits, RecordDto? Lookup);

/// <summary>Qdrant's <c>SearchMatrixPairsResponse</c>.</summary>
internal sealed record SearchMatrixPairsDto(List<SearchMatrixPairDto> Pairs);

internal sealed record SearchMatrixPairDto(PointId A, PointId B, float Score);

/// <summary>Qdrant's <c>SearchMatrixOffsetsResponse</c>.</summary>
internal sealed record SearchMatrixOffsetsDto(List<ulong> OffsetsRow, List<ulong> OffsetsCol, List<float> Scores, List<PointId> Ids);
