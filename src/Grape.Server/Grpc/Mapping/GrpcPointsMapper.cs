using Google.Protobuf.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;
using Grape.Server.Errors;
using C = Grape.Core.Filtering.Model;
using P = Qdrant.Client.Grpc;

namespace Grape.Server.Grpc.Mapping;

/// <summary>Qdrant's point messages ⇄ Core's points, selectors and write operations (the records REST maps to).</summary>
internal static class GrpcPointsMapper
{
    public static PointId Id(P.PointId? id)
    {
        switch (id?.PointIdOptionsCase)
        {
            case P.PointId.PointIdOptionsOneofCase.Num: return PointId.FromNumber(id.Num);
            case P.PointId.PointIdOptionsOneofCase.Uuid:
                if (Guid.TryParse(id.Uuid, out var g)) return PointId.FromUuid(g);
                throw GrpcInput.Invalid($"id: `{id.Uuid}` is not a valid UUID");
            default: throw GrpcInput.Invalid("id: a point id (num or uuid) is required");
        }
    }

    public static List<PointId> Ids(IReadOnlyCollection<P.PointId> ids)
    {
        var list = new List<PointId>(ids.Count);
        foreach (var id in ids) list.Add(Id(id));
        return list;
    }

    public static P.PointId ToProto(PointId id) => id.IsUuid ? new P.PointId { Uuid = id.Uuid.ToString("D") } : new P.PointId { Num = id.Number };

    public static WriteOptions Write(bool hasWait, bool wait, P.WriteOrdering? ordering)
    {
        var o = ordering?.Type switch
        {
            null or P.WriteOrderingType.Weak => WriteOrdering.Weak,
            P.WriteOrderingType.Medium => WriteOrdering.Medium,
            P.WriteOrderingType.Strong => WriteOrdering.Strong,
            var other => throw GrpcInput.Invalid($"ordering: unknown value {(int)other}"),
        };
        return new WriteOptions(hasWait && wait, o);
    }

    public static PointStruct Point(P.PointStruct p)
    {
        var vectors = p.Vectors is { } v ? Vectors(v) : throw GrpcInput.Invalid("vectors: every point needs its vectors");
        return new PointStruct(Id(p.Id), vectors, p.Payload.Count > 0 ? ValueMapper.ToJson(p.Payload) : null);
    }

    public static List<PointStruct> Points(IReadOnlyCollection<P.PointStruct> points)
    {
        var list = new List<PointStruct>(points.Count);
        foreach (var p in points) list.Add(Point(p));
        return list;
    }

    public static Dictionary<string, Vector> Vectors(P.Vectors v)
    {
        var map = new Dictionary<string, Vector>(StringComparer.Ordinal);
        switch (v.VectorsOptionsCase)
        {
            case P.Vectors.VectorsOptionsOneofCase.Vector:
                map[PointStruct.DefaultVector] = Dense(v.Vector);
                break;
            case P.Vectors.VectorsOptionsOneofCase.Vectors_:
                foreach (var (name, nv) in v.Vectors_.Vectors) map[name] = Dense(nv);
                break;
            default:
                throw GrpcInput.Invalid("vectors: either vector or named vectors must be set");
        }
        return map;
    }

    /// <summary>A dense vector from the <c>dense</c> variant or the deprecated <c>data</c> field, or a multivector
    /// (<c>multi_dense</c>, or <c>data</c> + <c>vectors_count</c>); sparse and inference are not in the engine yet.</summary>
    public static Vector Dense(P.Vector v)
    {
#pragma warning disable CS0612 // Qdrant's clients still send the deprecated `data`/`indices` form
        switch (v.VectorCase)
        {
            case P.Vector.VectorOneofCase.Dense: return Vector.FromDense(v.Dense.Data.ToArray());
            case P.Vector.VectorOneofCase.None:
                if (v.Indices is not null) throw RequestException.NotSupported("sparse vectors");
                if (v.HasVectorsCount) return GrpcMultiVectorMapper.Flat(v.Data, v.VectorsCount);
                return Vector.FromDense(v.Data.ToArray());
#pragma warning restore CS0612
            case P.Vector.VectorOneofCase.Sparse: throw RequestException.NotSupported("sparse vectors");
            case P.Vector.VectorOneofCase.MultiDense: return GrpcMultiVectorMapper.Multi(v.MultiDense);
            default: throw RequestException.NotSupported("server-side inference (Document, Image, InferenceObject)");
        }
    }

    public static PointsSelector Selector(P.PointsSelector? s) => s?.PointsSelectorOneOfCase switch
    {
        P.PointsSelector.PointsSelectorOneOfOneofCase.Points => PointsSelector.Ids(Ids(s.Points.Ids)),
        P.PointsSelector.PointsSelectorOneOfOneofCase.Filter => PointsSelector.ByFilter(GrpcFilterMapper.Map(s.Filter)),
        _ => throw GrpcInput.Invalid("points_selector: either points or filter must be set"),
    };

    public static PayloadSelector WithPayload(P.WithPayloadSelector? s, PayloadSelector whenAbsent) => s?.SelectorOptionsCase switch
    {
        null or P.WithPayloadSelector.SelectorOptionsOneofCase.None => whenAbsent,
        P.WithPayloadSelector.SelectorOptionsOneofCase.Enable => s.Enable ? PayloadSelector.All : PayloadSelector.None,
        P.WithPayloadSelector.SelectorOptionsOneofCase.Include => PayloadSelector.IncludeKeys(s.Include.Fields.ToList()),
        P.WithPayloadSelector.SelectorOptionsOneofCase.Exclude => PayloadSelector.ExcludeKeys(s.Exclude.Fields.ToList()),
        _ => whenAbsent,
    };

    public static VectorSelector WithVectors(P.WithVectorsSelector? s) => s?.SelectorOptionsCase switch
    {
        P.WithVectorsSelector.SelectorOptionsOneofCase.Enable => s.Enable ? VectorSelector.All : VectorSelector.None,
        P.WithVectorsSelector.SelectorOptionsOneofCase.Include => VectorSelector.Only(s.Include.Names.ToList()),
        _ => VectorSelector.None,
    };

    /// <summary>Payload operations: optional selector; Qdrant also accepts none only when a filter is given, so it is required here.</summary>
    public static PointsSelector RequiredSelector(P.PointsSelector? s) =>
        s is null ? throw GrpcInput.Invalid("points_selector: either points or filter must be given") : Selector(s);

    public static UpdateOperation.Upsert Upsert(IReadOnlyCollection<P.PointStruct> points, P.Filter? updateFilter, bool hasMode, P.UpdateMode mode)
    {
        if (updateFilter is not null) throw RequestException.NotSupported("`update_filter`");
        if (hasMode && mode != P.UpdateMode.Upsert) throw RequestException.NotSupported($"`update_mode: {mode}`");
        return new UpdateOperation.Upsert(Points(points));
    }

    public static UpdateOperation.UpdateVectors UpdateVectors(IReadOnlyCollection<P.PointVectors> points, P.Filter? updateFilter)
    {
        if (points.Count == 0) throw GrpcInput.Invalid("points: must contain at least 1 point");
        var list = new List<PointVectors>(points.Count);
        foreach (var p in points)
        {
            if (p.Vectors is null) throw GrpcInput.Invalid("points.vectors: required");
            list.Add(new PointVectors(Id(p.Id), Vectors(p.Vectors)));
        }
        return new UpdateOperation.UpdateVectors(list, GrpcFilterMapper.Optional(updateFilter));
    }

    public static UpdateOperation.DeleteVectors DeleteVectors(P.PointsSelector? selector, P.VectorsSelector? vectors)
    {
        if (vectors is null || vectors.Names.Count == 0) throw GrpcInput.Invalid("vectors: must name at least 1 vector");
        return new UpdateOperation.DeleteVectors(Selector(selector), vectors.Names.ToList());
    }

    public static UpdateOperation PayloadWrite(MapField<string, P.Value> payload, P.PointsSelector? selector, string? key, bool overwrite)
    {
        var json = ValueMapper.ToJson(payload);
        var s = RequiredSelector(selector);
        return overwrite ? new UpdateOperation.OverwritePayload(json, s, key) : new UpdateOperation.SetPayload(json, s, key);
    }

    public static List<UpdateOperation> Batch(IReadOnlyCollection<P.PointsUpdateOperation> ops)
    {
        var list = new List<UpdateOperation>(ops.Count);
#pragma warning disable CS0612 // the deprecated delete / clear_payload variants are still sent by old clients
        foreach (var op in ops)
        {
            list.Add(op.OperationCase switch
            {
                P.PointsUpdateOperation.OperationOneofCase.Upsert => Upsert(op.Upsert.Points, op.Upsert.UpdateFilter, op.Upsert.HasUpdateMode, op.Upsert.UpdateMode),
                P.PointsUpdateOperation.OperationOneofCase.DeletePoints => new UpdateOperation.Delete(Selector(op.DeletePoints.Points)),
                P.PointsUpdateOperation.OperationOneofCase.DeleteDeprecated => new UpdateOperation.Delete(Selector(op.DeleteDeprecated)),
                P.PointsUpdateOperation.OperationOneofCase.SetPayload => PayloadWrite(op.SetPayload.Payload, op.SetPayload.PointsSelector, op.SetPayload.HasKey ? op.SetPayload.Key : null, overwrite: false),
                P.PointsUpdateOperation.OperationOneofCase.OverwritePayload => PayloadWrite(op.OverwritePayload.Payload, op.OverwritePayload.PointsSelector, op.OverwritePayload.HasKey ? op.OverwritePayload.Key : null, overwrite: true),
                P.PointsUpdateOperation.OperationOneofCase.DeletePayload => new UpdateOperation.DeletePayload(op.DeletePayload.Keys.ToList(), RequiredSelector(op.DeletePayload.PointsSelector)),
                P.PointsUpdateOperation.OperationOneofCase.ClearPayload => new UpdateOperation.ClearPayload(Selector(op.ClearPayload.Points)),
                P.PointsUpdateOperation.OperationOneofCase.ClearPayloadDeprecated => new UpdateOperation.ClearPayload(Selector(op.ClearPayloadDeprecated)),
                P.PointsUpdateOperation.OperationOneofCase.UpdateVectors => UpdateVectors(op.UpdateVectors.Points, op.UpdateVectors.UpdateFilter),
                P.PointsUpdateOperation.OperationOneofCase.DeleteVectors => DeleteVectors(op.DeleteVectors.PointsSelector, op.DeleteVectors.Vectors),
                _ => throw GrpcInput.Invalid("operations: every operation must set one variant"),
            });
        }
#pragma warning restore CS0612
        if (list.Count == 0) throw GrpcInput.Invalid("operations: must contain at least 1 operation");
        return list;
    }

    /// <summary>Qdrant leaves the query point out of its own results.</summary>
    public static C.Filter ExcludeIds(C.Filter? filter, IReadOnlyList<PointId> ids) => new()
    {
        Must = filter is null ? null : [new C.FilterCondition(filter)],
        MustNot = [new C.HasIdCondition(ids.ToHashSet())],
    };

    public static P.UpdateResult Update(UpdateResult r) => new()
    {
        OperationId = r.OperationId,
        Status = r.Status == UpdateStatus.Completed ? P.UpdateStatus.Completed : P.UpdateStatus.Acknowledged,
    };

    public static P.RetrievedPoint Retrieved(Record r, PayloadSelector payload)
    {
        var p = new P.RetrievedPoint { Id = ToProto(r.Id) };
        if (payload.Enabled) ValueMapper.Fill(p.Payload, r.Payload);
        if (r.Vectors is { Count: > 0 } v) p.Vectors = VectorsOut(v);
        return p;
    }

    public static P.ScoredPoint Scored(ScoredPoint s, PayloadSelector payload)
    {
        var p = new P.ScoredPoint { Id = ToProto(s.Id), Score = s.Score, Version = s.Version };
        if (payload.Enabled) ValueMapper.Fill(p.Payload, s.Payload);
        if (s.OrderValue is { } o) p.OrderValue = o.IsInteger ? new P.OrderValue { Int = o.Integer } : new P.OrderValue { Float = o.Float };
        if (s.Vectors is { Count: > 0 } v) p.Vectors = VectorsOut(v);
        return p;
    }

    // Same shape rule as REST: a lone unnamed vector is sent as `vector`, anything else as the named map.
    private static P.VectorsOutput VectorsOut(IReadOnlyDictionary<string, Vector> vectors)
    {
        if (vectors.Count == 1 && vectors.TryGetValue(PointStruct.DefaultVector, out var single)) return new P.VectorsOutput { Vector = DenseOut(single) };
        var named = new P.NamedVectorsOutput();
        foreach (var (name, v) in vectors) named.Vectors[name] = DenseOut(v);
        return new P.VectorsOutput { Vectors = named };
    }

    private static P.VectorOutput DenseOut(Vector v)
    {
        if (v.IsMulti) return GrpcMultiVectorMapper.Out(v);
        var d = new P.DenseVector();
        d.Data.Add(v.Dense);
        return new P.VectorOutput { Dense = d };
    }
}
