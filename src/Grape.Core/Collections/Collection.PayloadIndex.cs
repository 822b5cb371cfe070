using Grape.Core.Collections.Shards;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;
using Grape.Core.Indexing.Payload;

namespace Grape.Core.Collections;

internal sealed partial class Collection
{
    private readonly Lock _configWriteLock = new();
    // The schema config.json holds; written by index operations (under the shard lock) and config updates alike.
    private IReadOnlyDictionary<string, PayloadFieldSchema> _persistedSchema = new Dictionary<string, PayloadFieldSchema>();

    private void PersistPayloadSchema(IReadOnlyDictionary<string, PayloadFieldSchema> schema)
    {
        lock (_configWriteLock)
        {
            WriteConfig(_directory, Config, _options, schema);
            _persistedSchema = schema;
        }
    }

    /// <summary>Compiles a filter with this collection's text indexes (token semantics for indexed text keys).</summary>
    private FilterEvaluator CompileFilter(Filter filter) => FilterEvaluator.Compile(filter, _shard.PayloadSchema.TextTokenizer);

    public ValueTask<UpdateResult> CreateFieldIndexAsync(string fieldName, PayloadFieldSchema? schema, WriteOptions write, CancellationToken cancellationToken)
    {
        if (schema is null) ThrowHelper.BadRequest("Can't auto-detect field type, please specify `field_schema` in the request");
        JsonPath.Parse(fieldName);
        schema.Validate();
        return _shard.WriteAsync(new ShardOperation.CreateFieldIndex(fieldName, schema), null, write.Wait, cancellationToken);
    }

    public ValueTask<UpdateResult> DeleteFieldIndexAsync(string fieldName, WriteOptions write, CancellationToken cancellationToken)
    {
        JsonPath.Parse(fieldName);
        return _shard.WriteAsync(new ShardOperation.DeleteFieldIndex(fieldName), null, write.Wait, cancellationToken);
    }

    private Dictionary<string, PayloadIndexInfo> PayloadSchemaInfo(SegmentSet set)
    {
        var counts = _shard.IndexedPointCounts(set);
        var result = new Dictionary<string, PayloadIndexInfo>(StringComparer.Ordinal);
        foreach (var (key, schema) in _shard.PayloadSchema.Current)
            result[key] = new PayloadIndexInfo(PayloadFieldSchema.TypeName(schema.Type), counts.GetValueOrDefault(key),
                schema.Params?.ToJson(schema.Type));
        return result;
    }

    public FacetResponse Facet(FacetRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Key is null) ThrowHelper.BadRequest("Validation error in key: the key is required");
        JsonPath.Parse(request.Key);
        if (request.Limit < 1) ThrowHelper.BadRequest($"Validation error in limit: value {request.Limit} invalid, must be 1 or more");
        if (!_shard.PayloadSchema.Current.TryGetValue(request.Key, out var schema) || !Facets.Supports(schema))
            ThrowHelper.BadRequest($"No appropriate index for faceting: `{request.Key}`. Please create one to facet on this field. Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which payload schemas support Match conditions");
        var filter = request.Filter is null ? null : CompileFilter(request.Filter);
        var set = _shard.AcquireSegments();
        try
        {
            return Facets.Count(_shard, set, request.Key, filter, Math.Min(request.Limit, MaxLimit), cancellationToken);
        }
        finally
        {
            set.Release();
        }
    }
}
