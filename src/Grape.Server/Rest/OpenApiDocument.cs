using System.Text.Json;
using Grape.Server.Auth;
using Grape.Server.Rest.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Grape.Server.Rest;

/// <summary>
/// Grape's OpenAPI 3 document, generated from the endpoints actually mapped (their route pattern, method and
/// <see cref="ApiOperation"/> metadata), so it cannot list a route that does not exist or miss one that does.
/// Schemas are referenced by Qdrant's names; the envelope and error body are spelled out.
/// </summary>
internal static class OpenApiDocument
{
    public static byte[] Generate(EndpointDataSource? source, string version)
    {
        var operations = new List<(string Path, string Method, ApiOperation Op, AccessLevel Access, RoutePattern Pattern)>();
        foreach (var e in source?.Endpoints ?? [])
        {
            if (e is not RouteEndpoint re || e.Metadata.GetMetadata<ApiOperation>() is not { } op) continue;
            string method = e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
            var access = e.Metadata.GetMetadata<AccessMetadata>()?.Level ?? AccessLevel.Write;
            operations.Add(("/" + re.RoutePattern.RawText!.TrimStart('/'), method.ToLowerInvariant(), op, access, re.RoutePattern));
        }
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("openapi", "3.0.1");
            w.WriteStartObject("info");
            w.WriteString("title", "Grape (Qdrant-compatible REST API)");
            w.WriteString("version", version);
            w.WriteEndObject();
            w.WriteStartArray("security");
            w.WriteStartObject(); w.WriteStartArray("api-key"); w.WriteEndArray(); w.WriteEndObject();
            w.WriteStartObject(); w.WriteStartArray("bearerAuth"); w.WriteEndArray(); w.WriteEndObject();
            w.WriteStartObject(); w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("paths");
            foreach (var group in operations.GroupBy(o => o.Path).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(group.Key);
                foreach (var (_, method, op, access, pattern) in group.OrderBy(o => o.Method, StringComparer.Ordinal))
                {
                    w.WriteStartObject(method);
                    w.WriteStartArray("tags"); w.WriteStringValue(op.Tag); w.WriteEndArray();
                    w.WriteString("summary", op.Summary);
                    w.WriteString("operationId", op.OperationId);
                    if (access == AccessLevel.Open) { w.WriteStartArray("security"); w.WriteStartObject(); w.WriteEndObject(); w.WriteEndArray(); }
                    w.WriteStartArray("parameters");
                    foreach (var p in pattern.Parameters) Parameter(w, p.Name, "path", required: true);
                    foreach (var q in op.Query) Parameter(w, q, "query", required: false);
                    w.WriteEndArray();
                    if (op.Body is { } body)
                    {
                        w.WriteStartObject("requestBody");
                        w.WriteBoolean("required", true);
                        w.WriteStartObject("content"); w.WriteStartObject("application/json"); w.WriteStartObject("schema");
                        w.WriteString("$ref", $"#/components/schemas/{body}");
                        w.WriteEndObject(); w.WriteEndObject(); w.WriteEndObject();
                        w.WriteEndObject();
                    }
                    w.WriteStartObject("responses");
                    w.WriteStartObject("200");
                    w.WriteString("description", $"successful operation; result: {op.Result}");
                    w.WriteEndObject();
                    w.WriteStartObject("default");
                    w.WriteString("description", "error");
                    w.WriteStartObject("content"); w.WriteStartObject("application/json"); w.WriteStartObject("schema");
                    w.WriteString("$ref", "#/components/schemas/ErrorResponse");
                    w.WriteEndObject(); w.WriteEndObject(); w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("components");
            w.WriteStartObject("securitySchemes");
            w.WriteStartObject("api-key"); w.WriteString("type", "apiKey"); w.WriteString("in", "header"); w.WriteString("name", "api-key"); w.WriteEndObject();
            w.WriteStartObject("bearerAuth"); w.WriteString("type", "http"); w.WriteString("scheme", "bearer"); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("schemas");
            w.WriteStartObject("ErrorResponse");
            w.WriteString("type", "object");
            w.WriteStartObject("properties");
            w.WriteStartObject("time"); w.WriteString("type", "number"); w.WriteEndObject();
            w.WriteStartObject("status");
            w.WriteString("type", "object");
            w.WriteStartObject("properties"); w.WriteStartObject("error"); w.WriteString("type", "string"); w.WriteEndObject(); w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            foreach (var name in operations.Select(o => o.Op.Body).OfType<string>().Distinct().Order(StringComparer.Ordinal))
            {
                w.WriteStartObject(name);
                w.WriteString("type", "object");
                w.WriteString("description", $"Qdrant's `{name}` schema (see Qdrant's openapi.json)");
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void Parameter(Utf8JsonWriter w, string name, string where, bool required)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("in", where);
        w.WriteBoolean("required", required);
        w.WriteStartObject("schema");
        w.WriteString("type", name is "wait" or "anonymize" or "per_collection" ? "boolean" : name is "timeout" or "details_level" ? "integer" : "string");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
