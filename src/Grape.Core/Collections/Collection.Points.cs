using Grape.Core.Collections.Shards;
using Grape.Core.Distances;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Points;

namespace Grape.Core.Collections;

internal sealed partial class Collection
{
    /// <summary>A write validated and ready for the shard: either already resolved, or resolved under the shard's lock.</summary>
    private readonly record struct PreparedWrite(ShardOperation? Operation, Func<LocalShard, ShardOperation?>? Resolve);

    public async ValueTask<UpdateResult> UpdateAsync(UpdateOperation operation, WriteOptions write, CancellationToken cancellationToken)
    {
        var prepared = Prepare(operation);
        return await _shard.WriteAsync(prepared.Operation, prepared.Resolve, write.Wait, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<UpdateResult>> BatchUpdateAsync(IReadOnlyList<UpdateOperation> operations, WriteOptions write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0) ThrowHelper.BadRequest("Validation error in operations: at least one operation is required");
        // Validate everything before the first write is applied.
        var prepared = new PreparedWrite[operations.Count];
        for (int i = 0; i < prepared.Length; i++) prepared[i] = Prepare(operations[i]);
        var results = new UpdateResult[prepared.Length];
        for (int i = 0; i < prepared.Length; i++)
        {
            // Only the last one needs to wait: the log is durable in order.
            bool wait = write.Wait && i == prepared.Length - 1;
            results[i] = await _shard.WriteAsync(prepared[i].Operation, prepared[i].Resolve, wait, cancellationToken).ConfigureAwait(false);
        }
        if (write.Wait)
            for (int i = 0; i < results.Length; i++) results[i] = results[i] with { Status = UpdateStatus.Completed };
        return results;
    }

    private PreparedWrite Prepare(UpdateOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        switch (operation)
        {
            case UpdateOperation.Upsert u:
            {
                if (u.Points is null || u.Points.Count == 0) ThrowHelper.BadRequest("Validation error in points: the batch is empty, at least one point is required");
                var points = new ShardPoint[u.Points.Count];
                for (int i = 0; i < points.Length; i++)
                {
                    var p = u.Points[i] ?? throw new BadRequestException($"Validation error in points[{i}]: the point is null");
                    points[i] = new ShardPoint(p.Id, PrepareVectors(p.Vectors, requireAll: false), PayloadOf(p, i));
                }
                return new(new ShardOperation.Upsert(points), null);
            }
            case UpdateOperation.Delete d:
                return Select(d.Selector, ids => new ShardOperation.Delete(ids), mustExist: false);
            case UpdateOperation.SetPayload s:
            {
                ArgumentNullException.ThrowIfNull(s.Payload);
                if (s.Key is not null) PayloadOps.ValidateKey(s.Key);
                var json = PayloadJson.ToUtf8(s.Payload);
                return Select(s.Selector, ids => new ShardOperation.SetPayload(ids, json, s.Key, Overwrite: false), mustExist: true);
            }
            case UpdateOperation.OverwritePayload o:
            {
                ArgumentNullException.ThrowIfNull(o.Payload);
                if (o.Key is not null) PayloadOps.ValidateKey(o.Key);
                var json = PayloadJson.ToUtf8(o.Payload);
                return Select(o.Selector, ids => new ShardOperation.SetPayload(ids, json, o.Key, Overwrite: true), mustExist: true);
            }
            case UpdateOperation.DeletePayload dp:
            {
                if (dp.Keys is null || dp.Keys.Count == 0) ThrowHelper.BadRequest("Validation error in keys: at least one key is required");
                foreach (var k in dp.Keys) PayloadOps.ValidateKey(k);
                var keys = dp.Keys.ToArray();
                return Select(dp.Selector, ids => new ShardOperation.DeletePayload(ids, keys), mustExist: true);
            }
            case UpdateOperation.ClearPayload c:
                return Select(c.Selector, ids => new ShardOperation.ClearPayload(ids), mustExist: true);
            case UpdateOperation.UpdateVectors uv:
            {
                if (uv.Points is null || uv.Points.Count == 0) ThrowHelper.BadRequest("Validation error in points: at least one point is required");
                var points = new ShardPoint[uv.Points.Count];
                for (int i = 0; i < points.Length; i++)
                {
                    var p = uv.Points[i];
                    if (p.Vectors is null || p.Vectors.Count == 0) ThrowHelper.BadRequest($"Validation error in points[{i}].vector: at least one vector is required");
                    points[i] = new ShardPoint(p.Id, PrepareVectors(p.Vectors, requireAll: false), []);
                }
                var filter = uv.Filter is null ? null : CompileFilter(uv.Filter);
                return new(null, shard =>
                {
                    foreach (var p in points) if (!shard.ContainsLocked(p.Id)) throw new PointNotFoundException(p.Id.ToString());
                    if (filter is null) return new ShardOperation.UpdateVectors(points);
                    var allowed = new HashSet<PointId>(shard.ResolveFilterLocked(filter));
                    var kept = points.Where(p => allowed.Contains(p.Id)).ToArray();
                    return kept.Length == 0 ? null : new ShardOperation.UpdateVectors(kept);
                });
            }
            case UpdateOperation.DeleteVectors dv:
            {
                if (dv.VectorNames is null || dv.VectorNames.Count == 0) ThrowHelper.BadRequest("Validation error in vector: at least one vector name is required");
                var columns = dv.VectorNames.Select(ColumnOf).Distinct().ToArray();
                return Select(dv.Selector, ids => new ShardOperation.DeleteVectors(ids, columns), mustExist: true);
            }
            default:
                throw new BadRequestException($"Unsupported update operation {operation.GetType().Name}");
        }
    }

    private static byte[] PayloadOf(PointStruct p, int index)
    {
        if (p.PayloadUtf8.IsEmpty) return PayloadJson.ToUtf8(p.Payload);
        if (p.Payload is not null) ThrowHelper.BadRequest($"Validation error in points[{index}]: the point has both a payload object and payload text, at most one is allowed");
        return PayloadJson.FromText(p.PayloadUtf8.Span);
    }

    /// <summary>Turns a selector into a write: ids as given, or a filter resolved under the shard's lock.</summary>
    private PreparedWrite Select(PointsSelector selector, Func<PointId[], ShardOperation> make, bool mustExist)
    {
        if (selector is null) throw new BadRequestException("Validation error: a points selector (ids or filter) is required");
        if (selector.PointIds is { } list)
        {
            var ids = list.ToArray();
            if (!mustExist) return new(make(ids), null);
            // Qdrant answers 404 for payload or vector writes to a missing point, and applies nothing.
            return new(null, shard =>
            {
                foreach (var id in ids) if (!shard.ContainsLocked(id)) throw new PointNotFoundException(id.ToString());
                return make(ids);
            });
        }
        var filter = CompileFilter(selector.Filter!);
        return new(null, shard =>
        {
            var ids = shard.ResolveFilterLocked(filter);
            return ids.Length == 0 ? null : make(ids);
        });
    }

    private int ColumnOf(string name) =>
        _columns.TryGetValue(name ?? "", out int c) ? c : throw new BadRequestException($"Wrong input: Not existing vector name error: {(string.IsNullOrEmpty(name) ? "(default vector)" : name)}");

    /// <summary>Checks names, dimensions and values; copies and preprocesses (cosine normalization) each vector.</summary>
    private float[]?[] PrepareVectors(IReadOnlyDictionary<string, Vector>? vectors, bool requireAll)
    {
        if (vectors is null) throw new BadRequestException("Validation error: the point has no vectors");
        var result = new float[]?[_vectorNames.Length];
        if (vectors is UnnamedVectorMap one) Prepare(PointStruct.DefaultVector, one.Vector); // no enumerator to allocate
        else foreach (var (name, vector) in vectors) Prepare(name, vector);
        if (requireAll)
            for (int i = 0; i < result.Length; i++)
                if (result[i] is null) throw new BadRequestException($"Wrong input: missing vector `{_vectorNames[i]}`");
        return result;

        void Prepare(string name, Vector vector)
        {
            int column = ColumnOf(name);
            if (vector is null) throw new BadRequestException($"Wrong input: vector `{name}` is null");
            var p = Config.Vectors[_vectorNames[column]];
            result[column] = p.MultivectorConfig is not null ? PrepareMultiVector(name, vector, p) : PrepareDenseVector(name, vector, p);
        }
    }

    private static float[] PrepareDenseVector(string name, Vector vector, VectorParams p)
    {
        if (vector.IsMulti)
            throw new BadRequestException($"Wrong input: Conversion between multi and regular vectors failed: vector {Describe(name)} is a plain vector, got a multivector");
        var dense = vector.Dense;
        if (dense.Length != p.Size)
            throw new BadRequestException($"Wrong input: Vector dimension error: expected dim: {p.Size}, got {dense.Length}");
        if (!VectorMath.IsFinite(dense))
            throw new BadRequestException($"Wrong input: vector {(name.Length == 0 ? "" : $"`{name}` ")}contains NaN or infinite values");
        var datatype = p.StorageDatatype;
        if (datatype == VectorDatatype.Float16 && !Storage.Vectors.VectorEncoding.FitsFloat16(dense))
            throw new BadRequestException($"Wrong input: vector {(name.Length == 0 ? "" : $"`{name}` ")}has values outside the float16 range (±65504)");
        // Only cosine (normalization) and a datatype other than float32 (rounding) change the vector: copy then, unless
        // the caller handed the array over. Otherwise the caller's array is logged and stored before this call returns
        // and never kept, so it is used as is.
        if (p.Distance != Distance.Cosine && datatype == VectorDatatype.Float32) return dense;
        var copy = vector.HandedOver ? dense : dense.ToArray();
        Metric.Preprocess(p.Distance, datatype, copy);
        return copy;
    }

    /// <summary>
    /// A multivector: sub-vectors of the vector's size, flattened row-major. A plain vector of that size is a
    /// multivector of one sub-vector, as Qdrant stores it. Cosine normalizes each sub-vector.
    /// </summary>
    internal static float[] PrepareMultiVector(string name, Vector vector, VectorParams p)
    {
        var flat = vector.Dense;
        int rows = vector.IsMulti ? vector.VectorCount : 1;
        int dim = flat.Length / Math.Max(1, rows);
        if (flat.Length == 0) throw new BadRequestException($"Wrong input: multivector {Describe(name)} must not be empty");
        if (dim != p.Size)
            throw new BadRequestException($"Wrong input: Vector dimension error: expected dim: {p.Size}, got {dim} (in multivector {Describe(name)})");
        if (flat.Length >= MaxMultiVectorValues)
            throw new BadRequestException($"Wrong input: multivector {Describe(name)}: total size of all vectors ({flat.Length}) must be less than {MaxMultiVectorValues}");
        if (!VectorMath.IsFinite(flat))
            throw new BadRequestException($"Wrong input: multivector {Describe(name)} contains NaN or infinite values");
        var datatype = p.StorageDatatype;
        if (datatype == VectorDatatype.Float16 && !Storage.Vectors.VectorEncoding.FitsFloat16(flat))
            throw new BadRequestException($"Wrong input: multivector {Describe(name)} has values outside the float16 range (±65504)");
        if (p.Distance != Distance.Cosine && datatype == VectorDatatype.Float32) return flat;
        var copy = flat.ToArray();
        MaxSimKernel.Preprocess(p.Distance, datatype, copy, p.Size);
        return copy;
    }

    /// <summary>Qdrant's cap on a multivector's flattened length (release builds).</summary>
    public const int MaxMultiVectorValues = 1024 * 1024;

    private static string Describe(string name) => name.Length == 0 ? "(default vector)" : $"`{name}`";
}
