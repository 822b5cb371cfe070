using System.Text.Json;
using Grape.Core.Embedded;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;
using Grape.Server.Errors;
using static Grape.Server.Rest.Mapping.JsonRead;

namespace Grape.Server.Rest.Mapping;

/// <summary>Qdrant's point write and read bodies → Core's requests and <see cref="UpdateOperation"/>s.</summary>
internal static class PointsMapper
{
    /// <summary><c>PointInsertOperations</c>: <c>{points: [...]}</c> or <c>{batch: {ids, vectors, payloads}}</c>.</summary>
    public static UpdateOperation.Upsert Upsert(JsonElement e, string path)
    {
        ExpectObject(e, path, "{points} or {batch}");
        CheckShardKey(e);
        if (Opt(e, "update_filter") is not null) throw RequestException.NotSupported("`update_filter`");
        if (OptString(e, "update_mode", path) is { } mode && mode != "upsert")
        {
            if (mode is "insert_only" or "update_only") throw RequestException.NotSupported($"`update_mode: {mode}`");
            throw RequestException.Format($"{Join(path, "update_mode")}: unknown variant `{mode}`, expected one of `upsert`, `insert_only`, `update_only`");
        }
        if (Opt(e, "points") is { } list)
        {
            string p = Join(path, "points");
            if (list.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{p}: invalid type: {Kind(list)}, expected a list of points");
            var points = new List<PointStruct>(list.GetArrayLength());
            int i = 0;
            foreach (var pt in list.EnumerateArray()) points.Add(Point(pt, $"{p}[{i++}]"));
            return new UpdateOperation.Upsert(points);
        }
        if (Opt(e, "batch") is { } batch) return new UpdateOperation.Upsert(Batch(batch, Join(path, "batch")));
        throw RequestException.Format($"{Where(path)}data did not match any variant of untagged enum PointInsertOperations: expected `points` or `batch`");
    }

    private static PointStruct Point(JsonElement e, string path)
    {
        ExpectObject(e, path, "a point {id, vector, payload}");
        var id = PointId(Req(e, "id", path), Join(path, "id"));
        var vectorElement = Opt(e, "vector") ?? Opt(e, "vectors") ?? throw RequestException.Format($"{Where(path)}missing field `vector`");
        var vectors = VectorStruct(vectorElement, Join(path, "vector"));
        var payload = Opt(e, "payload") is { } pl ? Payload(pl, Join(path, "payload")) : null;
        return new PointStruct(id, vectors, payload);
    }

    private static List<PointStruct> Batch(JsonElement e, string path)
    {
        ExpectObject(e, path, "{ids, vectors, payloads}");
        var ids = PointIds(Req(e, "ids", path), Join(path, "ids"));
        var vectorsElement = Req(e, "vectors", path);
        string vp = Join(path, "vectors");
        var perPoint = new Dictionary<string, Vector>[ids.Count];
        for (int i = 0; i < perPoint.Length; i++) perPoint[i] = new Dictionary<string, Vector>(StringComparer.Ordinal);
        if (vectorsElement.ValueKind == JsonValueKind.Array)
        {
            AddBatchColumn(vectorsElement, PointStruct.DefaultVector, vp, perPoint);
        }
        else if (vectorsElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var named in vectorsElement.EnumerateObject())
            {
                if (named.Value.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{vp}.{named.Name}: invalid type: {Kind(named.Value)}, expected a list of vectors");
                AddBatchColumn(named.Value, named.Name, $"{vp}.{named.Name}", perPoint);
            }
        }
        else throw RequestException.Format($"{vp}: invalid type: {Kind(vectorsElement)}, expected a list of vectors or a map of named vector lists");

        List<Core.Points.PointStruct> points = new(ids.Count);
        JsonElement? payloads = Opt(e, "payloads");
        if (payloads is { ValueKind: not JsonValueKind.Array }) throw RequestException.Format($"{path}.payloads: invalid type: {Kind(payloads.Value)}, expected a list of payloads");
        if (payloads is { } pls && pls.GetArrayLength() != ids.Count)
            throw new WrongInputException($"number of payloads ({pls.GetArrayLength()}) does not match the number of ids ({ids.Count})");
        for (int i = 0; i < ids.Count; i++)
        {
            var payload = payloads is { } ps ? Payload(ps[i], $"{path}.payloads[{i}]") : null;
            points.Add(new PointStruct(ids[i], perPoint[i], payload));
        }
        return points;
    }

    private static void AddBatchColumn(JsonElement column, string name, string path, Dictionary<string, Vector>[] perPoint)
    {
        if (column.GetArrayLength() != perPoint.Length)
            throw new WrongInputException($"number of vectors ({column.GetArrayLength()}) in `{path}` does not match the number of ids ({perPoint.Length})");
        int i = 0;
        foreach (var v in column.EnumerateArray())
        {
            string p = $"{path}[{i}]";
            if (v.ValueKind == JsonValueKind.Object) UnsupportedVectorObject(v);
            perPoint[i][name] = MultiVectorJson.IsMulti(v) ? MultiVectorJson.Read(v, p) : Vector.FromDense(Dense(v, p));
            i++;
        }
    }

    /// <summary><c>VectorStruct</c>: <c>[f32]</c> (the unnamed vector), <c>{name: [f32]}</c>, or <c>{}</c> (no vectors).</summary>
    public static Dictionary<string, Vector> VectorStruct(JsonElement e, string path)
    {
        var result = new Dictionary<string, Vector>(StringComparer.Ordinal);
        if (e.ValueKind == JsonValueKind.Array)
        {
            result[PointStruct.DefaultVector] = MultiVectorJson.IsMulti(e) ? MultiVectorJson.Read(e, path) : Vector.FromDense(Dense(e, path));
            return result;
        }
        if (e.ValueKind != JsonValueKind.Object) throw RequestException.Format($"{Where(path)}invalid type: {Kind(e)}, expected a vector or a map of named vectors");
        if (e.TryGetProperty("model", out _)) throw RequestException.NotSupported("server-side inference (Document, Image, InferenceObject)");
        foreach (var named in e.EnumerateObject())
        {
            string p = $"{path}.{named.Name}";
            var v = named.Value;
            if (v.ValueKind == JsonValueKind.Object) UnsupportedVectorObject(v);
            result[named.Name] = MultiVectorJson.IsMulti(v) ? MultiVectorJson.Read(v, p) : Vector.FromDense(Dense(v, p));
        }
        return result;
    }

    private static void UnsupportedVectorObject(JsonElement v)
    {
        if (v.TryGetProperty("indices", out _)) throw RequestException.NotSupported("sparse vectors");
        if (v.TryGetProperty("model", out _)) throw RequestException.NotSupported("server-side inference (Document, Image, InferenceObject)");
    }

    /// <summary><c>PointsSelector</c>: <c>{points: [id]}</c> or <c>{filter: Filter}</c>.</summary>
    public static PointsSelector Selector(JsonElement e, string path)
    {
        ExpectObject(e, path, "{points} or {filter}");
        CheckShardKey(e);
        if (Opt(e, "points") is { } pts) return PointsSelector.Ids(PointIds(pts, Join(path, "points")));
        if (Opt(e, "filter") is { } f) return PointsSelector.ByFilter(FilterMapper.Parse(f, Join(path, "filter")));
        throw RequestException.Format($"{Where(path)}data did not match any variant of untagged enum PointsSelector: expected `points` or `filter`");
    }

    /// <summary>The optional <c>points</c> + <c>filter</c> pair of payload and vector operations; both given = both must hold.</summary>
    private static PointsSelector PointsOrFilter(JsonElement e, string path)
    {
        CheckShardKey(e);
        var ids = Opt(e, "points") is { } pts ? PointIds(pts, Join(path, "points")) : null;
        var filter = FilterMapper.Optional(e, "filter", path);
        return (ids, filter) switch
        {
            ({ } i, null) => PointsSelector.Ids(i),
            (null, { } f) => PointsSelector.ByFilter(f),
            ({ } i, { } f) => PointsSelector.ByFilter(FilterMapper.WithIds(f, i)),
            _ => throw RequestException.Validation($"[{(path.Length == 0 ? "" : path + ": ")}either `points` or `filter` must be given]"),
        };
    }

    public static UpdateOperation SetPayload(JsonElement e, string path, bool overwrite)
    {
        ExpectObject(e, path, "{payload, points, filter, key}");
        var payload = Payload(Req(e, "payload", path), Join(path, "payload"))!;
        var selector = PointsOrFilter(e, path);
        string? key = OptString(e, "key", path);
        return overwrite ? new UpdateOperation.OverwritePayload(payload, selector, key) : new UpdateOperation.SetPayload(payload, selector, key);
    }

    public static UpdateOperation.DeletePayload DeletePayload(JsonElement e, string path)
    {
        ExpectObject(e, path, "{keys, points, filter}");
        var keys = Strings(Req(e, "keys", path), Join(path, "keys"));
        return new UpdateOperation.DeletePayload(keys, PointsOrFilter(e, path));
    }

    public static UpdateOperation.UpdateVectors UpdateVectors(JsonElement e, string path)
    {
        ExpectObject(e, path, "{points, update_filter}");
        CheckShardKey(e);
        var pts = Req(e, "points", path);
        string p = Join(path, "points");
        if (pts.ValueKind != JsonValueKind.Array) throw RequestException.Format($"{p}: invalid type: {Kind(pts)}, expected a list of {{id, vector}}");
        var list = new List<PointVectors>(pts.GetArrayLength());
        int i = 0;
        foreach (var pt in pts.EnumerateArray())
        {
            string pp = $"{p}[{i++}]";
            ExpectObject(pt, pp, "{id, vector}");
            var id = PointId(Req(pt, "id", pp), Join(pp, "id"));
            var v = Opt(pt, "vector") ?? Opt(pt, "vectors") ?? throw RequestException.Format($"{pp}: missing field `vector`");
            list.Add(new PointVectors(id, VectorStruct(v, Join(pp, "vector"))));
        }
        if (list.Count == 0) throw RequestException.Validation($"[{p}: must contain at least 1 point]");
        return new UpdateOperation.UpdateVectors(list, FilterMapper.Optional(e, "update_filter", path));
    }

    public static UpdateOperation.DeleteVectors DeleteVectors(JsonElement e, string path)
    {
        ExpectObject(e, path, "{points, filter, vector}");
        var names = Strings(Req(e, "vector", path), Join(path, "vector"));
        if (names.Count == 0) throw RequestException.Validation($"[{Join(path, "vector")}: must name at least 1 vector]");
        return new UpdateOperation.DeleteVectors(PointsOrFilter(e, path), names);
    }

    /// <summary><c>UpdateOperations</c>: <c>{operations: [{"upsert": ...} | {"delete": ...} | ...]}</c>.</summary>
    public static List<UpdateOperation> Batch(JsonElement root)
    {
        ExpectObject(root, "", "{operations}");
        var ops = Req(root, "operations", "");
        if (ops.ValueKind != JsonValueKind.Array) throw RequestException.Format($"operations: invalid type: {Kind(ops)}, expected a list of operations");
        var list = new List<UpdateOperation>(ops.GetArrayLength());
        int i = 0;
        foreach (var op in ops.EnumerateArray())
        {
            string p = $"operations[{i++}]";
            ExpectObject(op, p, "an operation object");
            int n = 0;
            foreach (var kv in op.EnumerateObject())
            {
                if (++n > 1) throw RequestException.Format($"{p}: an operation must have exactly one key");
                string pp = $"{p}.{kv.Name}";
                list.Add(kv.Name switch
                {
                    "upsert" => Upsert(kv.Value, pp),
                    "delete" => new UpdateOperation.Delete(Selector(kv.Value, pp)),
                    "set_payload" => SetPayload(kv.Value, pp, overwrite: false),
                    "overwrite_payload" => SetPayload(kv.Value, pp, overwrite: true),
                    "delete_payload" => DeletePayload(kv.Value, pp),
                    "clear_payload" => new UpdateOperation.ClearPayload(Selector(kv.Value, pp)),
                    "update_vectors" => UpdateVectors(kv.Value, pp),
                    "delete_vectors" => DeleteVectors(kv.Value, pp),
                    _ => throw RequestException.Format($"{p}: unknown variant `{kv.Name}`, expected one of `upsert`, `delete`, `set_payload`, `overwrite_payload`, `delete_payload`, `clear_payload`, `update_vectors`, `delete_vectors`"),
                });
            }
            if (n == 0) throw RequestException.Format($"{p}: an operation must have exactly one key");
        }
        return list;
    }

    /// <summary><c>WithPayloadInterface</c>: bool | [key] | {include: [key]} | {exclude: [key]}.</summary>
    public static PayloadSelector WithPayload(JsonElement obj, PayloadSelector defaultValue)
    {
        if (Opt(obj, "with_payload") is not { } e) return defaultValue;
        switch (e.ValueKind)
        {
            case JsonValueKind.True: return PayloadSelector.All;
            case JsonValueKind.False: return PayloadSelector.None;
            case JsonValueKind.Array: return PayloadSelector.IncludeKeys(Strings(e, "with_payload"));
            case JsonValueKind.Object:
                NoUnknown(e, "with_payload", "include", "exclude");
                if (Opt(e, "include") is { } inc) return PayloadSelector.IncludeKeys(Strings(inc, "with_payload.include"));
                if (Opt(e, "exclude") is { } exc) return PayloadSelector.ExcludeKeys(Strings(exc, "with_payload.exclude"));
                break;
        }
        throw RequestException.Format($"with_payload: invalid type: {Kind(e)}, expected a boolean, a list of keys, {{include}} or {{exclude}}");
    }

    /// <summary><c>WithVector</c> (also spelled <c>with_vectors</c>): bool | [name].</summary>
    public static VectorSelector WithVector(JsonElement obj, VectorSelector defaultValue)
    {
        if ((Opt(obj, "with_vector") ?? Opt(obj, "with_vectors")) is not { } e) return defaultValue;
        return e.ValueKind switch
        {
            JsonValueKind.True => VectorSelector.All,
            JsonValueKind.False => VectorSelector.None,
            JsonValueKind.Array => VectorSelector.Only(Strings(e, "with_vector")),
            _ => throw RequestException.Format($"with_vector: invalid type: {Kind(e)}, expected a boolean or a list of vector names"),
        };
    }

    /// <summary><c>PointRequest</c>: {ids, with_payload (true), with_vector (false)}.</summary>
    public static (List<PointId> Ids, PayloadSelector Payload, VectorSelector Vectors) Retrieve(JsonElement root)
    {
        ExpectObject(root, "", "{ids, with_payload, with_vector}");
        CheckShardKey(root);
        return (PointIds(Req(root, "ids", ""), "ids"), WithPayload(root, PayloadSelector.All), WithVector(root, VectorSelector.None));
    }

    public static ScrollRequest Scroll(JsonElement root)
    {
        ExpectObject(root, "", "a scroll request");
        CheckShardKey(root);
        if (Opt(root, "order_by") is not null) throw RequestException.NotSupported("`order_by` in scroll");
        return new ScrollRequest
        {
            Filter = FilterMapper.Optional(root, "filter", ""),
            Limit = Limit(root, "limit", 10),
            Offset = Opt(root, "offset") is { } o ? PointId(o, "offset") : null,
            WithPayload = WithPayload(root, PayloadSelector.All),
            WithVectors = WithVector(root, VectorSelector.None),
        };
    }

    public static CountRequest Count(JsonElement root)
    {
        ExpectObject(root, "", "a count request");
        CheckShardKey(root);
        return new CountRequest { Filter = FilterMapper.Optional(root, "filter", ""), Exact = OptBool(root, "exact", "") ?? true };
    }

    /// <summary>A limit: 1..<see cref="JsonRead.MaxLimit"/> (0 is Qdrant's 422 "must be 1 or more").</summary>
    public static int Limit(JsonElement obj, string name, int defaultValue) =>
        Opt(obj, name) is { } v ? Int(v, name, min: 1, max: MaxLimit) : defaultValue;

    /// <summary>Single-node Grape has no custom sharding: a shard key selects nothing that exists.</summary>
    public static void CheckShardKey(JsonElement obj)
    {
        if (obj.ValueKind == JsonValueKind.Object && Opt(obj, "shard_key") is not null) throw RequestException.NotSupported("`shard_key` (custom sharding)");
    }

    /// <summary>Has-id helper for excluding query points from their own results.</summary>
    public static Filter ExcludeIds(Filter? filter, IReadOnlyList<PointId> ids) => new()
    {
        Must = filter is null ? null : [new FilterCondition(filter)],
        MustNot = [new HasIdCondition(ids.ToHashSet())],
    };
}
