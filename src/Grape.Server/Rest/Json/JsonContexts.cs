using System.Text.Json.Serialization;
using Grape.Server.Rest.Dto;

namespace Grape.Server.Rest.Json;

// One source-generated context per API area (STYLE §10); requests are read as JsonElement by Rest/Mapping, so the
// contexts hold the response shapes.

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(PointIdJsonConverter), typeof(VectorsOutputJsonConverter)])]
[JsonSerializable(typeof(UpdateResultDto))]
[JsonSerializable(typeof(List<UpdateResultDto>))]
[JsonSerializable(typeof(RecordDto))]
[JsonSerializable(typeof(List<RecordDto>))]
[JsonSerializable(typeof(ScrollResultDto))]
[JsonSerializable(typeof(CountResultDto))]
[JsonSerializable(typeof(FacetResponseDto))]
internal sealed partial class PointsJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(PointIdJsonConverter), typeof(VectorsOutputJsonConverter)])]
[JsonSerializable(typeof(List<ScoredPointDto>))]
[JsonSerializable(typeof(List<List<ScoredPointDto>>))]
[JsonSerializable(typeof(QueryResponseDto))]
[JsonSerializable(typeof(List<QueryResponseDto>))]
[JsonSerializable(typeof(GroupsResultDto))]
[JsonSerializable(typeof(SearchMatrixPairsDto))]
[JsonSerializable(typeof(SearchMatrixOffsetsDto))]
internal sealed partial class SearchJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(CollectionsResponseDto))]
[JsonSerializable(typeof(CollectionExistenceDto))]
[JsonSerializable(typeof(AliasesResponseDto))]
[JsonSerializable(typeof(CollectionInfoDto))]
internal sealed partial class CollectionsJsonContext : JsonSerializerContext;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VersionInfoDto))]
[JsonSerializable(typeof(IssuesDto))]
[JsonSerializable(typeof(TelemetryDto))]
internal sealed partial class ServiceJsonContext : JsonSerializerContext;
