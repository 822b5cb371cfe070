using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Errors;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;
using Grape.Server.Errors;
using Grape.Server.Rest.Dto;
using static Grape.Server.Rest.Mapping.JsonRead;

namespace Grape.Server.Rest.Mapping;

/// <summary>Qdrant's <c>CreateFieldIndex</c> and <c>FacetRequest</c> bodies → Core, and facet hits → JSON.</summary>
internal static class IndexMapper
{
    /// <summary><c>{field_name, field_schema?}</c>; the schema is a type name or a params object.</summary>
    public static (string FieldName, PayloadFieldSchema? Schema) CreateFieldIndex(JsonElement root)
    {
        ExpectObject(root, "", "a create field index request {field_name, field_schema}");
        string name = String(Req(root, "field_name", ""), "field_name");
        // Qdrant's StorageError::BadRequest, before the engine sees the request.
        if (Opt(root, "field_schema") is not { } schema)
            throw new RequestException(400, "Bad request: Can't auto-detect field type, please specify `field_schema` in the request");
        try
        {
            return (name, PayloadFieldSchema.FromJson(JsonNode.Parse(schema.GetRawText())));
        }
        catch (BadRequestException e) when (e.Message.StartsWith("Format error in JSON body: ", StringComparison.Ordinal))
        {
            throw new RequestException(400, e.Message);
        }
        catch (BadRequestException e) when (e.Message.StartsWith("Validation error in JSON body: ", StringComparison.Ordinal))
        {
            throw new RequestException(422, e.Message);
        }
    }

    public static FacetRequest Facet(JsonElement root)
    {
        ExpectObject(root, "", "a facet request {key, limit, filter, exact}");
        PointsMapper.CheckShardKey(root);
        return new FacetRequest(String(Req(root, "key", ""), "key"))
        {
            Filter = FilterMapper.Optional(root, "filter", ""),
            Limit = PointsMapper.Limit(root, "limit", 10),
            Exact = OptBool(root, "exact", "") ?? false,
        };
    }

    public static FacetResponseDto Facet(FacetResponse response)
    {
        var hits = new List<FacetHitDto>(response.Hits.Count);
        foreach (var h in response.Hits)
        {
            JsonNode value = h.Value.Kind switch
            {
                MatchScalarKind.Keyword => JsonValue.Create(h.Value.Keyword!),
                MatchScalarKind.Integer => JsonValue.Create(h.Value.Integer),
                _ => JsonValue.Create(h.Value.Bool),
            };
            hits.Add(new FacetHitDto(value, h.Count));
        }
        return new FacetResponseDto(hits);
    }
}
