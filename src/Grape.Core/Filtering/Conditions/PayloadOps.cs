using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Points;

namespace Grape.Core.Filtering.Conditions;

/// <summary>
/// Payload edits and projections with Qdrant's key-path semantics (<c>a.b</c>, <c>a[].b</c>, <c>a[0]</c>),
/// following <c>JsonPath::value_set</c>, <c>value_remove</c> and <c>value_filter</c>.
/// </summary>
internal static class PayloadOps
{
    /// <summary>
    /// Merges <paramref name="values"/> into <paramref name="target"/> (top level, or into the object at
    /// <paramref name="key"/>, created if missing). A null value removes its key. On the way to the key, a
    /// value of the wrong type is replaced (an object where <c>.k</c> is asked, an array where <c>[i]</c> or
    /// <c>[]</c> is asked); <c>[i]</c> past the end and <c>[]</c> over no elements set nothing.
    /// </summary>
    public static void Set(JsonObject target, JsonObject values, string? key)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(values);
        if (key is null) { MergeMap(target, values); return; }
        var path = JsonPath.Parse(key);
        SetInMap(target, path.FirstKey, path.Segments, 1, values);
    }

    private static void SetInMap(JsonObject dest, string key, JsonPathSegment[] path, int step, JsonObject src)
    {
        dest.TryGetPropertyValue(key, out var current);
        var updated = SetIn(path, step, current, src);
        if (!ReferenceEquals(updated, current) || !dest.ContainsKey(key)) dest[key] = updated;
    }

    private static JsonNode SetIn(JsonPathSegment[] path, int step, JsonNode? dest, JsonObject src)
    {
        if (step == path.Length)
        {
            var obj = dest as JsonObject ?? new JsonObject();
            MergeMap(obj, src);
            return obj;
        }
        var seg = path[step];
        switch (seg.Kind)
        {
            case JsonPathSegmentKind.Key:
                {
                    var obj = dest as JsonObject ?? new JsonObject();
                    SetInMap(obj, seg.Key!, path, step + 1, src);
                    return obj;
                }
            case JsonPathSegmentKind.Index:
                {
                    var arr = dest as JsonArray ?? new JsonArray();
                    if (seg.Index < arr.Count) SetInElement(arr, seg.Index, path, step + 1, src);
                    return arr;
                }
            default:
                {
                    if (dest is not JsonArray arr) return new JsonArray();
                    for (int i = 0; i < arr.Count; i++) SetInElement(arr, i, path, step + 1, src);
                    return arr;
                }
        }
    }

    private static void SetInElement(JsonArray arr, int index, JsonPathSegment[] path, int step, JsonObject src)
    {
        var current = arr[index];
        var updated = SetIn(path, step, current, src);
        if (!ReferenceEquals(updated, current)) arr[index] = updated;
    }

    // Qdrant's merge_map: a null value deletes the key, anything else replaces it.
    private static void MergeMap(JsonObject dest, JsonObject src)
    {
        foreach (var (k, v) in src)
        {
            if (v is null || v.GetValueKind() == JsonValueKind.Null) dest.Remove(k);
            else dest[k] = v.DeepClone();
        }
    }

    /// <summary>
    /// Removes each key path. <c>a.b</c> removes <c>b</c> from object <c>a</c>; <c>a[].b</c> from every element;
    /// <c>a[]</c> empties the array <c>a</c>; a path ending in <c>[i]</c> removes nothing (Qdrant refuses it: not
    /// idempotent). Missing keys are ignored.
    /// </summary>
    public static void DeleteKeys(JsonObject target, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(keys);
        var paths = new JsonPath[keys.Count];
        for (int i = 0; i < paths.Length; i++) paths[i] = JsonPath.Parse(keys[i]); // all valid before any edit
        foreach (var path in paths)
        {
            var segs = path.Segments;
            if (segs.Length == 1) target.Remove(path.FirstKey);
            else if (target.TryGetPropertyValue(path.FirstKey, out var value) && value is not null) RemoveIn(segs, 1, value);
        }
    }

    private static void RemoveIn(JsonPathSegment[] path, int step, JsonNode value)
    {
        var seg = path[step];
        bool last = step == path.Length - 1;
        switch (seg.Kind)
        {
            case JsonPathSegmentKind.Key when value is JsonObject obj:
                if (last) obj.Remove(seg.Key!);
                else if (obj.TryGetPropertyValue(seg.Key!, out var child) && child is not null) RemoveIn(path, step + 1, child);
                break;
            case JsonPathSegmentKind.Index when value is JsonArray arr:
                if (!last && seg.Index < arr.Count && arr[seg.Index] is { } element) RemoveIn(path, step + 1, element);
                break;
            case JsonPathSegmentKind.Wildcard when value is JsonArray arr:
                if (last) arr.Clear();
                else
                    foreach (var item in arr)
                        if (item is not null) RemoveIn(path, step + 1, item);
                break;
        }
    }

    /// <summary>
    /// Applies <c>with_payload</c>: all, only the include paths, or all but the exclude paths. Null when disabled.
    /// With <see cref="PayloadSelector.All"/> the given object itself is returned; otherwise a new tree.
    /// Include keeps every value whose path and some include path agree on their common prefix (so <c>a.b</c>
    /// yields <c>{"a":{"b":..}}</c>, and a scalar <c>a</c> is kept whole); exclude drops every value whose path
    /// starts with an exclude path. Array elements are addressed as <c>[]</c>, so <c>a[0]</c> selects nothing inside arrays.
    /// </summary>
    public static JsonObject? Project(JsonObject payload, PayloadSelector selector)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(selector);
        if (!selector.Enabled) return null;
        if (selector.Include is { } include) return Filter(payload, ParseAll(include), include: true);
        if (selector.Exclude is { } exclude) return Filter(payload, ParseAll(exclude), include: false);
        return payload;
    }

    private static JsonPathSegment[][] ParseAll(IReadOnlyList<string> keys)
    {
        var result = new JsonPathSegment[keys.Count][];
        for (int i = 0; i < result.Length; i++) result[i] = JsonPath.Parse(keys[i]).Segments;
        return result;
    }

    private static JsonObject Filter(JsonObject payload, JsonPathSegment[][] patterns, bool include)
    {
        var path = new List<JsonPathSegment>(8);
        var result = new JsonObject();
        foreach (var (k, v) in payload)
        {
            path.Add(JsonPathSegment.OfKeyForComparison(k));
            if (Keep(path, patterns, include)) result[k] = Copy(path, v, patterns, include);
            path.RemoveAt(path.Count - 1);
        }
        return result;
    }

    private static JsonNode? Copy(List<JsonPathSegment> path, JsonNode? value, JsonPathSegment[][] patterns, bool include)
    {
        switch (value)
        {
            case JsonArray arr:
                {
                    var copy = new JsonArray();
                    path.Add(JsonPathSegment.Wildcard);
                    if (Keep(path, patterns, include))
                        foreach (var e in arr) copy.Add(Copy(path, e, patterns, include));
                    path.RemoveAt(path.Count - 1);
                    return copy;
                }
            case JsonObject obj:
                {
                    var copy = new JsonObject();
                    foreach (var (k, v) in obj)
                    {
                        path.Add(JsonPathSegment.OfKeyForComparison(k));
                        if (Keep(path, patterns, include)) copy[k] = Copy(path, v, patterns, include);
                        path.RemoveAt(path.Count - 1);
                    }
                    return copy;
                }
            default:
                return value?.DeepClone();
        }
    }

    private static bool Keep(List<JsonPathSegment> path, JsonPathSegment[][] patterns, bool include)
    {
        foreach (var pattern in patterns)
        {
            if (include)
            {
                // check_include_pattern: equal on the common prefix (either may be longer).
                int n = Math.Min(pattern.Length, path.Count);
                if (PrefixEqual(path, pattern, n)) return true;
            }
            else if (pattern.Length <= path.Count && PrefixEqual(path, pattern, pattern.Length))
            {
                return false; // check_exclude_pattern: the pattern is a prefix of the path
            }
        }
        return !include;
    }

    private static bool PrefixEqual(List<JsonPathSegment> path, JsonPathSegment[] pattern, int n)
    {
        for (int i = 0; i < n; i++)
            if (!path[i].Equals(pattern[i])) return false;
        return true;
    }

    /// <summary>Throws <see cref="Errors.BadRequestException"/> if <paramref name="key"/> is not a valid key path.</summary>
    public static void ValidateKey(string key) => JsonPath.Parse(key);
}
