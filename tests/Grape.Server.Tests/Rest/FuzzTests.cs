using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Grape.Server.Tests.Rest;

/// <summary>
/// 2,000 randomly mutated valid requests (seeded, so a failure replays): every answer is below 500, and the server
/// still serves correct results afterwards.
/// </summary>
public sealed class FuzzTests
{
    private static readonly (string Method, string Path, string Body)[] Valid =
    [
        ("PUT", "/collections/c/points?wait=true", """{"points":[{"id":7,"vector":[0.1,0.2,0.3],"payload":{"a":1,"tags":["x","y"],"o":{"k":"v"}}},{"id":"550e8400-e29b-41d4-a716-446655440000","vector":[1,0,0]}]}"""),
        ("PUT", "/collections/c/points", """{"batch":{"ids":[8,9],"vectors":[[1,1,1],[2,2,2]],"payloads":[{"a":2},null]}}"""),
        ("POST", "/collections/c/points", """{"ids":[1,2,7],"with_payload":{"include":["a"]},"with_vector":true}"""),
        ("POST", "/collections/c/points/search", """{"vector":[1,2,3],"limit":3,"offset":0,"filter":{"must":[{"key":"a","range":{"gte":1}}],"should":[{"has_id":[1,2]}]},"with_payload":true,"params":{"hnsw_ef":32,"exact":false},"score_threshold":0.1}"""),
        ("POST", "/collections/c/points/search/batch", """{"searches":[{"vector":[1,2,3],"limit":2},{"vector":[3,2,1],"limit":1,"with_vector":true}]}"""),
        ("POST", "/collections/c/points/query", """{"query":{"nearest":[1,2,3]},"limit":2,"filter":{"must_not":[{"is_empty":{"key":"a"}}]},"with_payload":["a"]}"""),
        ("POST", "/collections/c/points/query", """{"query":1,"limit":2}"""),
        ("POST", "/collections/c/points/scroll", """{"limit":2,"offset":1,"filter":{"must":[{"key":"tags","match":{"any":["x"]}},{"nested":{"key":"arr","filter":{"must":[{"key":"b","match":{"value":true}}]}}}]}}"""),
        ("POST", "/collections/c/points/count", """{"filter":{"min_should":{"conditions":[{"key":"a","match":{"value":1}},{"key":"o.k","match":{"value":"v"}}],"min_count":1}},"exact":true}"""),
        ("POST", "/collections/c/points/payload?wait=true", """{"payload":{"b":{"c":[1,2]}},"points":[1],"key":"o"}"""),
        ("PUT", "/collections/c/points/payload", """{"payload":{"z":null},"filter":{"must":[{"key":"a","values_count":{"gte":1}}]}}"""),
        ("POST", "/collections/c/points/payload/delete", """{"keys":["a","o.k"],"points":[2]}"""),
        ("POST", "/collections/c/points/payload/clear", """{"filter":{"must":[{"key":"geo","geo_radius":{"center":{"lon":1,"lat":2},"radius":10}}]}}"""),
        ("PUT", "/collections/c/points/vectors", """{"points":[{"id":1,"vector":[3,3,3]}]}"""),
        ("POST", "/collections/c/points/vectors/delete", """{"points":[9],"vector":[""]}"""),
        ("POST", "/collections/c/points/batch", """{"operations":[{"upsert":{"points":[{"id":20,"vector":[1,2,3]}]}},{"delete":{"points":[20]}},{"clear_payload":{"points":[7]}}]}"""),
        ("POST", "/collections/c/points/delete", """{"points":[12345]}"""),
        ("PATCH", "/collections/c", """{"optimizers_config":{"flush_interval_sec":5},"params":{"on_disk_payload":true}}"""),
        ("PUT", "/collections/f", """{"vectors":{"v":{"size":2,"distance":"Euclid","on_disk":false}},"hnsw_config":{"m":4}}"""),
        ("POST", "/collections/aliases", """{"actions":[{"create_alias":{"collection_name":"c","alias_name":"al"}},{"delete_alias":{"alias_name":"al"}}]}"""),
    ];

    private static readonly JsonNode?[] Replacements =
    [
        null, 0, -1, 1.5, 1e300, long.MaxValue, "", "x", "550e8400-e29b-41d4-a716-446655440000", true, false,
        new JsonArray(), new JsonObject(), new JsonArray(1, 2, 3), new JsonObject { ["key"] = "a" },
        new JsonArray(new JsonArray(1, 2)), new JsonObject { ["must"] = new JsonArray() }, 4294967296, -0.0,
    ];

    [Fact]
    public async Task Two_thousand_mutated_requests_never_get_a_5xx()
    {
        await using var s = await GrapeTestServer.StartAsync();
        await s.CreateCollectionAsync("c", size: 3);
        (await s.PutAsync("/collections/c/points?wait=true", """{"points":[{"id":1,"vector":[1,2,3],"payload":{"a":1}},{"id":2,"vector":[3,2,1],"payload":{"a":2,"arr":[{"b":true}]}}]}""")).AssertOk();
        var random = new Random(20261125);
        var failures = new List<string>();
        int ok = 0, refused = 0;
        for (int i = 0; i < 2000; i++)
        {
            var (method, path, body) = Valid[random.Next(Valid.Length)];
            (path, body) = Mutate(random, path, body);
            var r = await s.SendAsync(new HttpMethod(method), path, body);
            if ((int)r.Status < 300) ok++;
            else if ((int)r.Status < 500) refused++;
            if ((int)r.Status >= 500) failures.Add($"#{i} {method} {path} {body} -> {(int)r.Status} {r.Body}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        TestContext.Current.SendDiagnosticMessage($"fuzz: {ok} accepted, {refused} refused with 4xx");
        // Both sides must be exercised: mutations that still parse reach the engine, the rest are refused.
        Assert.InRange(ok, 200, 1800);
        Assert.InRange(refused, 200, 1800);

        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync("/readyz")).Status);
        (await s.PostAsync("/collections/c/points/search", """{"vector":[1,2,3],"limit":1}""")).AssertOk();
        (await s.GetAsync("/collections/c")).AssertOk();
    }

    private static (string Path, string Body) Mutate(Random r, string path, string body)
    {
        switch (r.Next(10))
        {
            case 0: // raw text: flip, drop or insert characters
            {
                const string alphabet = "{}[]\",:0-9.eE ntfa\\";
                var sb = new StringBuilder(body);
                for (int n = r.Next(1, 4); n > 0 && sb.Length > 0; n--)
                {
                    int at = r.Next(sb.Length);
                    switch (r.Next(3))
                    {
                        case 0: sb[at] = alphabet[r.Next(alphabet.Length)]; break;
                        case 1: sb.Remove(at, 1); break;
                        default: sb.Insert(at, alphabet[r.Next(alphabet.Length)]); break;
                    }
                }
                return (path, sb.ToString());
            }
            case 1: // truncation
                return (path, body[..r.Next(body.Length)]);
            case 2: // query parameters and path
            {
                string[] extras = ["wait=maybe", "wait=true", "timeout=0", "timeout=-5", "timeout=abc", "ordering=fast", "ordering=strong", "consistency=most", "consistency=2"];
                string sep = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
                string p = path + sep + extras[r.Next(extras.Length)];
                if (r.Next(3) == 0) p = p.Replace("/collections/c", "/collections/" + Uri.EscapeDataString(RandomName(r)), StringComparison.Ordinal);
                return (p, body);
            }
            default: // structural: replace, delete or add members anywhere in the tree
            {
                var root = JsonNode.Parse(body)!;
                for (int n = r.Next(1, 4); n > 0; n--) root = MutateTree(r, root);
                return (path, root?.ToJsonString() ?? "null");
            }
        }
    }

    private static string RandomName(Random r)
    {
        // No NUL: TestServer refuses to build such a request (Kestrel itself answers it 400).
        const string chars = "abc:/\\*?<>|\"\u001f %.";
        var sb = new StringBuilder();
        for (int i = r.Next(0, 6); i > 0; i--) sb.Append(chars[r.Next(chars.Length)]);
        return sb.Length == 0 ? "." : sb.ToString();
    }

    private static JsonNode? MutateTree(Random r, JsonNode? root)
    {
        var nodes = new List<JsonNode>();
        Collect(root, nodes);
        if (nodes.Count == 0 || r.Next(20) == 0) return Clone(Replacements[r.Next(Replacements.Length)]);
        var target = nodes[r.Next(nodes.Count)];
        switch (target)
        {
            case JsonObject o when o.Count > 0 && r.Next(3) == 0:
                o.Remove(o.ElementAt(r.Next(o.Count)).Key);
                break;
            case JsonObject o when r.Next(2) == 0:
                o["unexpected_" + r.Next(3)] = Clone(Replacements[r.Next(Replacements.Length)]);
                break;
            case JsonArray a when a.Count > 0 && r.Next(2) == 0:
                a.Add(a[r.Next(a.Count)]?.DeepClone());
                break;
            default:
                if (target.Parent is JsonObject parent) parent[target.GetPropertyName()] = Clone(Replacements[r.Next(Replacements.Length)]);
                else if (target.Parent is JsonArray arr) arr[target.GetElementIndex()] = Clone(Replacements[r.Next(Replacements.Length)]);
                break;
        }
        return root;
    }

    private static void Collect(JsonNode? node, List<JsonNode> into)
    {
        if (node is null) return;
        into.Add(node);
        if (node is JsonObject o) foreach (var kv in o) Collect(kv.Value, into);
        else if (node is JsonArray a) foreach (var item in a) Collect(item, into);
    }

    private static JsonNode? Clone(JsonNode? n) => n?.DeepClone();
}
