using System.Text.Json.Nodes;

namespace Grape.Server.Rest.Dto;

/// <summary>Qdrant's <c>FacetValueHit</c>: the value (string, integer or bool) and its count.</summary>
internal sealed record FacetHitDto(JsonNode Value, long Count);

/// <summary>Qdrant's <c>FacetResponse</c>.</summary>
internal sealed record FacetResponseDto(List<FacetHitDto> Hits);
