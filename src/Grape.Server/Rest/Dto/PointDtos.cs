using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Grape.Core.Points;

namespace Grape.Server.Rest.Dto;

/// <summary>Qdrant's <c>UpdateResult</c>.</summary>
internal sealed record UpdateResultDto(ulong? OperationId, string Status);

/// <summary>Qdrant's <c>Record</c>: absent optional members are omitted, not null.</summary>
internal sealed record RecordDto(PointId Id, JsonObject? Payload, VectorsOutput? Vector);

/// <summary>Qdrant's <c>ScoredPoint</c>.</summary>
internal sealed record ScoredPointDto(PointId Id, ulong Version, float Score, JsonObject? Payload, VectorsOutput? Vector);

/// <summary>Qdrant's <c>ScrollResult</c>; <c>next_page_offset</c> is always present (null on the last page).</summary>
internal sealed record ScrollResultDto(
    List<RecordDto> Points,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] PointId? NextPageOffset);

internal sealed record CountResultDto(long Count);

/// <summary>Qdrant's <c>QueryResponse</c>.</summary>
internal sealed record QueryResponseDto(List<ScoredPointDto> Points);
