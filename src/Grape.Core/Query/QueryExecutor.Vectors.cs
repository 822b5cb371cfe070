using Grape.Core.Collections;
using Grape.Core.Collections.Shards;
using Grape.Core.Distances;
using Grape.Core.Errors;
using Grape.Core.Points;

namespace Grape.Core.Query;

// Turning a vector query's inputs (vectors or point ids) into a prepared scorer.
internal sealed partial class QueryExecutor
{
    /// <summary>
    /// Resolves the examples of a vector query (ids through <c>lookup_from</c> when given) and prepares its scorer.
    /// An average-vector recommendation becomes the nearest query to the averaged vector, as in Qdrant.
    /// </summary>
    private VectorScorer PrepareVectorQuery(Stage stage)
    {
        var (column, distance, size) = _collection.VectorColumn(stage.Using);
        int multi = _collection.MultiDimension(column);
        VectorDatatype datatype = _collection.ColumnDatatype(column);
        float[] Resolve(VectorInput input) => ResolveInput(input, stage.LookupFrom, stage.Using, size, multi > 0);
        float[][] ResolveAll(IReadOnlyList<VectorInput> inputs) => [.. inputs.Select(Resolve)];
        (float[], float[])[] Pairs(IReadOnlyList<ContextPair> pairs) => [.. pairs.Select(p => (Resolve(p.Positive), Resolve(p.Negative)))];

        switch (stage.Query)
        {
            case ScoringQuery.Nearest n:
                return VectorScorer.Nearest(distance, column, Resolve(n.Vector), multi, datatype);
            case ScoringQuery.Recommend r:
                {
                    var positives = ResolveAll(r.Positive);
                    var negatives = ResolveAll(r.Negative);
                    switch (r.Strategy)
                    {
                        case RecommendStrategy.AverageVector:
                            if (positives.Length == 0) throw new BadRequestException("Wrong input: Positive vectors should not be empty with `average` strategy");
                            // Qdrant averages dense examples; multivectors are concatenated instead (negatives negated).
                            return VectorScorer.Nearest(distance, column,
                                multi > 0 ? VectorScorer.ConcatenatedMultiVector(positives, negatives) : VectorScorer.AverageVector(positives, negatives), multi, datatype);
                        case RecommendStrategy.BestScore:
                            RequireExamples(positives, negatives);
                            return VectorScorer.BestScore(distance, column, positives, negatives, multi, datatype);
                        default:
                            RequireExamples(positives, negatives);
                            return VectorScorer.SumScores(distance, column, positives, negatives, multi, datatype);
                    }
                }
            case ScoringQuery.Discover d:
                return VectorScorer.Discover(distance, column, Resolve(d.Target), Pairs(d.Pairs), multi, datatype);
            case ScoringQuery.Context c:
                return VectorScorer.Context(distance, column, Pairs(c.Pairs), multi, datatype);
            default:
                throw new InvalidOperationException($"{stage.Query?.GetType().Name} is not a vector query");
        }
    }

    private static void RequireExamples(float[][] positives, float[][] negatives)
    {
        if (positives.Length == 0 && negatives.Length == 0)
            throw new BadRequestException("Bad request: At least one positive or negative vector ID required with this strategy");
    }

    /// <summary>
    /// A vector given inline (checked) or the stored vector of a point (of this collection or of <c>lookup_from</c>).
    /// For a multivector column the result is the sub-vectors flattened row-major; a plain vector there counts as a
    /// multivector of one sub-vector (as in Qdrant), while a multivector for a plain vector is refused.
    /// </summary>
    private float[] ResolveInput(VectorInput input, LookupLocation? lookup, string usingName, int size, bool multi)
    {
        if (input.Dense is { } dense)
        {
            if (input.IsMulti && !multi)
                throw new BadRequestException($"Wrong input: Conversion between multi and regular vectors failed: vector {Describe(usingName)} is a plain vector, got a multivector");
            int dim = input.IsMulti ? dense.Length / input.MultiCount : dense.Length;
            if (dim != size) throw new BadRequestException($"Wrong input: Vector dimension error: expected dim: {size}, got {dim}");
            if (multi && dense.Length >= Collection.MaxMultiVectorValues)
                throw new BadRequestException($"Wrong input: total size of all vectors ({dense.Length}) must be less than {Collection.MaxMultiVectorValues}");
            if (!VectorMath.IsFinite(dense)) throw new BadRequestException("Wrong input: query vector contains NaN or infinite values");
            return dense;
        }
        var id = input.Id ?? throw new BadRequestException("Wrong input: an example is neither a vector nor a point id");
        string name = lookup?.Vector ?? usingName;
        var source = lookup is null ? _collection : _collections(lookup.Collection);
        float[]? stored;
        bool storedMulti;
        if (ReferenceEquals(source, _collection))
        {
            var (column, _, _) = _collection.VectorColumn(name);
            if (!LocalShard.TryLocate(_set, id, out var seg, out var off)) throw new PointNotFoundException(id.ToString());
            stored = seg.HasVector(off, column) ? seg.GetVector(off, column).ToArray() : null;
            storedMulti = _collection.MultiDimension(column) > 0;
        }
        else
        {
            source.VectorColumn(name);
            var records = source.Retrieve([id], PayloadSelector.None, VectorSelector.Only([name]));
            if (records.Count == 0) throw new PointNotFoundException(id.ToString());
            var vec = records[0].Vectors is { } v && v.TryGetValue(name, out var found) ? found : null;
            stored = vec?.Dense;
            storedMulti = vec?.IsMulti ?? false;
        }
        if (stored is null) throw new NotFoundException($"Not found: Vector with name \"{name}\" for point");
        if (storedMulti && !multi)
            throw new BadRequestException($"Wrong input: Conversion between multi and regular vectors failed: vector {Describe(usingName)} is a plain vector, the example is a multivector");
        if (multi ? stored.Length % size != 0 : stored.Length != size)
            throw new BadRequestException($"Wrong input: Vector dimension error: expected dim: {size}, got {stored.Length}");
        return stored;
    }

    private static string Describe(string name) => name.Length == 0 ? "(default vector)" : $"`{name}`";
}
