using Grape.Core.Collections.Shards;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;

namespace Grape.Core.Collections;

// What the query executor (Grape.Core.Query) needs from a collection beyond search, get and scroll.
internal sealed partial class Collection
{
    /// <summary>The column and distance of vector <paramref name="name"/>; Qdrant's "Not existing vector name" error otherwise.</summary>
    public (int Column, Distance Distance, int Size) VectorColumn(string? name)
    {
        name ??= PointStruct.DefaultVector;
        int column = ColumnOf(name);
        var p = Config.Vectors[name];
        return (column, p.Distance, p.Size);
    }

    /// <summary>
    /// The <paramref name="k"/> nearest live points: the shard search with the same ef, exact and thresholds as
    /// <see cref="Search"/>, so the HNSW index serves it when the segment has one.
    /// </summary>
    public List<ShardHit> NearestHits(SegmentSet set, int column, Distance distance, ReadOnlySpan<float> query, int k,
        Filtering.Conditions.FilterEvaluator? filter, float minSimilarity, Embedded.SearchParams? searchParams, CancellationToken ct)
    {
        // The column's vector params (hnsw overrides) decide ef and the thresholds, exactly as for a plain search.
        var vector = Config.Vectors[_shard.Specs[column].Name];
        return _shard.Search(set, column, distance, query, k, filter, minSimilarity, SearchParamsFor(vector, searchParams, k), ct);
    }

    /// <summary>As <see cref="NearestHits"/> for a custom-score query (recommend/discover/context): the same ef and thresholds.</summary>
    public List<ShardHit> RankedHits(SegmentSet set, int column, IVectorRanker ranker, int k, Filtering.Conditions.FilterEvaluator? filter,
        float minRank, Embedded.SearchParams? searchParams, out bool usedGraph, CancellationToken ct)
    {
        var vector = Config.Vectors[_shard.Specs[column].Name];
        return _shard.SearchRanked(set, column, ranker, k, filter, minRank, SearchParamsFor(vector, searchParams, k), out usedGraph, ct);
    }

    public int[]? VectorColumns(VectorSelector? selector) => ResolveVectorSelector(selector);

    /// <summary>How column <paramref name="column"/> stores its vectors.</summary>
    public VectorDatatype ColumnDatatype(int column) => _shard.Specs[column].Datatype;

    /// <summary>The stored vector of a slot that has one, copied: dense, or a multivector for a multivector column.</summary>
    public Vector VectorAt(Segment seg, uint off, int column)
    {
        var values = seg.GetVector(off, column).ToArray();
        var spec = _shard.Specs[column];
        return spec.Multi ? Vector.FromMultiFlat(values, values.Length / spec.Dimension) : Vector.FromDense(values);
    }

    /// <summary>The sub-vector size of a multivector column; 0 for a dense column.</summary>
    public int MultiDimension(int column) => _shard.Specs[column].Multi ? _shard.Specs[column].Dimension : 0;

    public System.Text.Json.Nodes.JsonObject? PayloadOf(Segment seg, uint off, PayloadSelector? selector) => ProjectPayload(seg, off, selector);

    public Dictionary<string, Vector>? VectorsOf(Segment seg, uint off, int[]? columns) => ReadVectors(seg, off, columns);

    /// <summary>
    /// Whether <paramref name="key"/> has a payload index that supports range conditions (integer, float, datetime),
    /// which Qdrant requires for <c>order_by</c>. Read from the payload schema, so it follows payload indexes as they
    /// are created.
    /// </summary>
    public bool HasRangeIndex(string key)
    {
        var schema = GetInfo().PayloadSchema;
        return schema.TryGetValue(key, out var index) && index.DataType is "integer" or "float" or "datetime";
    }
}
