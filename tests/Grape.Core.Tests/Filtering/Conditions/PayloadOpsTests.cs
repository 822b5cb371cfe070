using System.Text.Json.Nodes;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Points;

namespace Grape.Core.Tests.Filtering.Conditions;

public class PayloadOpsTests
{
    private static string Q(string json) => json.Replace('\'', '"');
    private static JsonObject J(string json) => JsonNode.Parse(Q(json))!.AsObject();

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Q(expected)), actual), $"expected {Q(expected)}, got {actual?.ToJsonString()}");

    public static TheoryData<string, string, string?, string> SetCases => new()
    {
        // top level: merge, null deletes
        { "{'a':1,'b':2}", "{'b':3,'c':{'d':4}}", null, "{'a':1,'b':3,'c':{'d':4}}" },
        { "{'a':1,'b':2}", "{'b':null}", null, "{'a':1}" },
        // into the object at key, creating intermediate objects
        { "{'a':1}", "{'x':1}", "k1.k2", "{'a':1,'k1':{'k2':{'x':1}}}" },
        { "{'a':{'b':{'c':1},'z':0}}", "{'d':2}", "a.b", "{'a':{'b':{'c':1,'d':2},'z':0}}" },
        { "{'a':{'b':5}}", "{'d':2}", "a.b", "{'a':{'b':{'d':2}}}" },           // a scalar in the way is replaced
        { "{'a':{'b':5}}", "{'b':null}", "a", "{'a':{}}" },
        { "{}", "{'x':1}", "\"q.k\".y", "{'q.k':{'y':{'x':1}}}" },
        // into array elements
        { "{'a':{'b':[{'c':1},{'c':2},{'d':{'e':3}}]}}", "{'c':5}", "a.b[1]", "{'a':{'b':[{'c':1},{'c':5},{'d':{'e':3}}]}}" },
        { "{'a':[{'c':1},{'c':2}]}", "{'c':9}", "a[]", "{'a':[{'c':9},{'c':9}]}" },
        { "{'a':[{'c':1}]}", "{'c':9}", "a[5]", "{'a':[{'c':1}]}" },            // past the end: nothing
        { "{'a':[1,{'b':{}}]}", "{'x':1}", "a[].b", "{'a':[{'b':{'x':1}},{'b':{'x':1}}]}" },
        { "{}", "{'x':1}", "a[]", "{'a':[]}" },                                  // [] where no array is: an empty array
        { "{}", "{'x':1}", "a[0].b", "{'a':[]}" },
    };

    [Theory, MemberData(nameof(SetCases))]
    public void Set_merges_like_qdrant(string target, string values, string? key, string expected)
    {
        var payload = J(target);
        PayloadOps.Set(payload, J(values), key);
        AssertJson(expected, payload);
    }

    [Fact]
    public void Set_copies_values_so_the_source_stays_usable()
    {
        var src = J("{'o':{'x':1}}");
        var a = J("{}");
        var b = J("{}");
        PayloadOps.Set(a, src, null);
        PayloadOps.Set(b, src, "k");
        a["o"]!["x"] = 2;
        AssertJson("{'o':{'x':1}}", src);
        AssertJson("{'k':{'o':{'x':1}}}", b);
    }

    public static TheoryData<string, string[], string> DeleteCases => new()
    {
        { "{'a':1,'b':2}", ["a"], "{'b':2}" },
        { "{'a':{'b':1,'c':2}}", ["a.b"], "{'a':{'c':2}}" },
        { "{'a':[{'b':1,'c':2},{'b':3},5]}", ["a[].b"], "{'a':[{'c':2},{},5]}" },
        { "{'a':[1,2],'b':3}", ["a[]"], "{'a':[],'b':3}" },                      // empties the array, keeps the key
        { "{'a':[1,2]}", ["a[0]"], "{'a':[1,2]}" },                              // Qdrant doesn't delete by index
        { "{'a':[{'b':1},{'b':2}]}", ["a[1].b"], "{'a':[{'b':1},{}]}" },
        { "{'a':1}", ["x", "a.b", "y[].z"], "{'a':1}" },                          // missing paths are ignored
        { "{'a.b':1,'a':{'b':2}}", ["\"a.b\""], "{'a':{'b':2}}" },
        { "{'a':1,'b':{'c':1,'d':2}}", ["a", "b.d"], "{'b':{'c':1}}" },
    };

    [Theory, MemberData(nameof(DeleteCases))]
    public void Delete_keys_removes_paths(string target, string[] keys, string expected)
    {
        var payload = J(target);
        PayloadOps.DeleteKeys(payload, keys);
        AssertJson(expected, payload);
    }

    [Fact]
    public void Delete_keys_with_a_bad_path_changes_nothing()
    {
        var payload = J("{'a':1,'b':2}");
        var e = Assert.Throws<BadRequestException>(() => PayloadOps.DeleteKeys(payload, ["a", "b..c"]));
        Assert.Contains("b..c", e.Message);
        AssertJson("{'a':1,'b':2}", payload);
    }

    private const string Doc = "{'a':{'b':[{'c':1},{'c':2},{'d':{'e':3}}],'x':0},'f':3,'g':['g0','g1']}";

    public static TheoryData<string[], string> IncludeCases => new()
    {
        { ["f"], "{'f':3}" },
        { ["a.x"], "{'a':{'x':0}}" },
        { ["a.b[].c"], "{'a':{'b':[{'c':1},{'c':2},{}]}}" },                    // Qdrant's own example
        { ["a.b[].d.e", "g"], "{'a':{'b':[{},{},{'d':{'e':3}}]},'g':['g0','g1']}" },
        { ["f.deeper"], "{'f':3}" },                                              // a scalar on the way is kept whole
        { ["a.b.c"], "{'a':{'b':[]}}" },                                          // elements are a.b[], not a.b
        { ["missing"], "{}" },
    };

    [Theory, MemberData(nameof(IncludeCases))]
    public void Project_includes_paths(string[] include, string expected) =>
        AssertJson(expected, PayloadOps.Project(J(Doc), PayloadSelector.IncludeKeys(include)));

    public static TheoryData<string[], string> ExcludeCases => new()
    {
        { ["f"], "{'a':{'b':[{'c':1},{'c':2},{'d':{'e':3}}],'x':0},'g':['g0','g1']}" },
        { ["a.b", "g"], "{'a':{'x':0},'f':3}" },
        { ["a.b[].c"], "{'a':{'b':[{},{},{'d':{'e':3}}],'x':0},'f':3,'g':['g0','g1']}" },
        { ["g[]"], "{'a':{'b':[{'c':1},{'c':2},{'d':{'e':3}}],'x':0},'f':3,'g':[]}" },
        { ["a.b.c"], Doc },
    };

    [Theory, MemberData(nameof(ExcludeCases))]
    public void Project_excludes_paths(string[] exclude, string expected) =>
        AssertJson(expected, PayloadOps.Project(J(Doc), PayloadSelector.ExcludeKeys(exclude)));

    [Fact]
    public void Project_all_none_and_bad_keys()
    {
        var payload = J(Doc);
        Assert.Null(PayloadOps.Project(payload, PayloadSelector.None));
        Assert.Same(payload, PayloadOps.Project(payload, PayloadSelector.All));
        var projected = PayloadOps.Project(payload, PayloadSelector.IncludeKeys(["a"]))!;
        projected["a"]!["x"] = 99; // a projection is a copy
        Assert.Equal(0, payload["a"]!["x"]!.GetValue<int>());
        Assert.Throws<BadRequestException>(() => PayloadOps.Project(payload, PayloadSelector.ExcludeKeys(["a["])));
    }

    [Fact]
    public void Validate_key_accepts_qdrant_paths_and_rejects_others()
    {
        PayloadOps.ValidateKey("a.b[0].\"c d\"[]");
        var e = Assert.Throws<BadRequestException>(() => PayloadOps.ValidateKey("a b"));
        Assert.Contains("a b", e.Message);
        Assert.Throws<BadRequestException>(() => PayloadOps.ValidateKey(""));
    }
}
