using Grape.Core.Errors;
using Grape.Core.Filtering.Model;
using Grape.Core.Points;

namespace Grape.Core.Filtering.Conditions;

internal sealed partial class FilterEvaluator
{
    /// <summary>Turns the model into condition nodes, rejecting what Qdrant rejects, with a message naming the culprit.</summary>
    private sealed class Compiler(Func<string, Indexing.Payload.TextTokenizer?>? textIndex)
    {
        // Key prefix of the nested conditions being compiled ("a[]." inside nested `a`): indexes are on full paths.
        private string _prefix = "";

        public List<string> VectorNames { get; } = [];

        /// <remarks>
        /// Inside <c>nested</c> a nested condition Qdrant evaluates with its plain checker, where an empty <c>should</c> matches
        /// nothing; elsewhere (its optimized filter, and gRPC which drops empty lists) an empty <c>should</c> is no
        /// constraint. We follow both.
        /// </remarks>
        public ConditionNode CompileFilter(Filter filter, bool nested)
        {
            if (filter is null) ThrowHelper.BadRequest("A filter is null");
            var must = CompileList(filter.Must, nested);
            var mustNot = CompileList(filter.MustNot, nested);
            var should = CompileList(filter.Should, nested);
            if (should is { Length: 0 } && !nested) should = null;
            ConditionNode[]? minShould = null;
            int minCount = 0;
            if (filter.MinShould is { } ms)
            {
                if (ms.Conditions is null) ThrowHelper.BadRequest("min_should: conditions are required");
                if (ms.MinCount < 1) ThrowHelper.BadRequest($"min_should: min_count must be greater than 0, got {ms.MinCount}");
                minShould = CompileList(ms.Conditions, nested);
                minCount = ms.MinCount;
            }
            return new ClauseNode(must, should, mustNot, minShould, minCount);
        }

        private ConditionNode[]? CompileList(IReadOnlyList<Condition>? conditions, bool nested)
        {
            if (conditions is null) return null;
            var result = new ConditionNode[conditions.Count];
            for (int i = 0; i < result.Length; i++) result[i] = CompileCondition(conditions[i], nested);
            return result;
        }

        private ConditionNode CompileCondition(Condition condition, bool nested) => condition switch
        {
            FieldCondition f => CompileField(f),
            IsEmptyCondition e => new IsEmptyNode(JsonPath.Parse(e.Key)),
            IsNullCondition n => new IsNullNode(JsonPath.Parse(n.Key)),
            // Qdrant checks nested elements without the id tracker or vector storages: both never match there.
            HasIdCondition h => nested ? ConstantNode.False : new HasIdNode(CheckIds(h)),
            HasVectorCondition v => nested ? ConstantNode.False : new HasVectorNode(VectorSlot(v.Vector)),
            NestedCondition n => CompileNested(n),
            FilterCondition f => CompileFilter(f.Filter, nested),
            null => ThrowHelper.BadRequest<ConditionNode>("A condition is null"),
            _ => ThrowHelper.BadRequest<ConditionNode>($"Unsupported condition {condition.GetType().Name}"),
        };

        private NestedNode CompileNested(NestedCondition n)
        {
            var path = JsonPath.Parse(n.Key).ArrayKey();
            var saved = _prefix;
            _prefix = saved + path.Text + ".";
            try
            {
                return new NestedNode(path, CompileFilter(n.Filter ?? ThrowHelper.BadRequest<Filter>($"nested `{n.Key}`: a filter is required"), nested: true));
            }
            finally
            {
                _prefix = saved;
            }
        }

        private static HashSet<PointId> CheckIds(HasIdCondition h) =>
            h.Ids is null ? ThrowHelper.BadRequest<HashSet<PointId>>("has_id: ids are required") : new HashSet<PointId>(h.Ids);

        private int VectorSlot(string name)
        {
            if (name is null) ThrowHelper.BadRequest("has_vector: a vector name is required");
            int slot = VectorNames.IndexOf(name);
            if (slot >= 0) return slot;
            VectorNames.Add(name);
            return VectorNames.Count - 1;
        }

        private ConditionNode CompileField(FieldCondition f)
        {
            var path = JsonPath.Parse(f.Key);
            if (textIndex is not null && f.Match is MatchText or MatchTextAny or MatchPhrase && f.Range is null && f.DatetimeRange is null
                && f.GeoBoundingBox is null && f.GeoRadius is null && f.GeoPolygon is null && f.ValuesCount is null && f.IsEmpty is null
                && f.IsNull is null && textIndex(_prefix + f.Key) is { } tokenizer)
                return IndexedTextNode.Create(path, tokenizer, f.Match);
            var matchers = new List<ValueMatcher>(1);
            if (f.Match is not null) matchers.Add(CompileMatch(f.Key, f.Match));
            if (f.Range is { } r)
            {
                CheckBounds(f.Key, r.Gt, r.Gte, r.Lt, r.Lte);
                matchers.Add(new RangeMatcher(r));
            }
            if (f.DatetimeRange is { } dr) matchers.Add(new DatetimeRangeMatcher(dr));
            if (f.GeoBoundingBox is { } box)
            {
                CheckGeoPoint(f.Key, "geo_bounding_box.top_left", box.TopLeft);
                CheckGeoPoint(f.Key, "geo_bounding_box.bottom_right", box.BottomRight);
                matchers.Add(new GeoBoundingBoxMatcher(box));
            }
            if (f.GeoRadius is { } radius)
            {
                CheckGeoPoint(f.Key, "geo_radius.center", radius.Center);
                if (!(radius.Radius >= 0) || double.IsInfinity(radius.Radius))
                    ThrowHelper.BadRequest($"Field `{f.Key}`: geo_radius.radius must be a finite number of meters >= 0, got {radius.Radius}");
                matchers.Add(new GeoRadiusMatcher(radius));
            }
            if (f.GeoPolygon is { } polygon)
            {
                CheckRing(f.Key, "exterior", polygon.Exterior);
                if (polygon.Interiors is not null)
                    for (int i = 0; i < polygon.Interiors.Count; i++) CheckRing(f.Key, $"interiors[{i}]", polygon.Interiors[i]);
                matchers.Add(new GeoPolygonMatcher(polygon));
            }
            if (f.ValuesCount is { } vc && (vc.Gt < 0 || vc.Gte < 0 || vc.Lt < 0 || vc.Lte < 0))
                ThrowHelper.BadRequest($"Field `{f.Key}`: values_count bounds must not be negative");
            if (matchers.Count == 0 && f.ValuesCount is null && f.IsEmpty is null && f.IsNull is null)
                ThrowHelper.BadRequest($"Field `{f.Key}`: at least one field condition must be specified");
            return new FieldConditionNode(path, [.. matchers], f.ValuesCount, f.IsEmpty, f.IsNull);
        }

        private static ValueMatcher CompileMatch(string key, Match match)
        {
            switch (match)
            {
                case MatchValue v:
                    return v.Value.Kind switch
                    {
                        MatchScalarKind.Keyword => new KeywordMatcher(System.Text.Encoding.UTF8.GetBytes(
                            v.Value.Keyword ?? ThrowHelper.BadRequest<string>($"Field `{key}`: match value is null"))),
                        MatchScalarKind.Integer => new IntegerMatcher(v.Value.Integer),
                        _ => new BoolMatcher(v.Value.Bool),
                    };
                case MatchText t:
                    return new TextMatcher(Utf8(key, "text", t.Text));
                case MatchPhrase p:
                    return new TextMatcher(Utf8(key, "phrase", p.Phrase));
                case MatchPrefix px:
                    return new PrefixMatcher(Utf8(key, "prefix", px.Prefix));
                case MatchTextAny a:
                    if (a.Text is null) ThrowHelper.BadRequest($"Field `{key}`: match text_any is null");
                    return new TextAnyMatcher(SplitWhitespace(a.Text));
                case MatchAny any:
                    return ListKind(key, "any", any.Values) == MatchScalarKind.Integer
                        ? new AnyIntegerMatcher(Integers(any.Values))
                        : new AnyKeywordMatcher(new Utf8KeywordSet(Keywords(any.Values)));
                case MatchExcept except:
                    return ListKind(key, "except", except.Values) == MatchScalarKind.Integer
                        ? new ExceptIntegerMatcher(Integers(except.Values))
                        : new ExceptKeywordMatcher(new Utf8KeywordSet(Keywords(except.Values)));
                case null:
                    return ThrowHelper.BadRequest<ValueMatcher>($"Field `{key}`: match is null");
                default:
                    return ThrowHelper.BadRequest<ValueMatcher>($"Field `{key}`: unsupported match {match.GetType().Name}");
            }
        }

        private static byte[] Utf8(string key, string what, string? text) =>
            System.Text.Encoding.UTF8.GetBytes(text ?? ThrowHelper.BadRequest<string>($"Field `{key}`: match {what} is null"));

        // Rust's split_whitespace: Unicode White_Space separates words, empty words are dropped.
        private static byte[][] SplitWhitespace(string text)
        {
            var words = new List<byte[]>();
            int start = -1;
            for (int i = 0; i <= text.Length; i++)
            {
                bool ws = i == text.Length || char.IsWhiteSpace(text[i]);
                if (!ws && start < 0) start = i;
                else if (ws && start >= 0) { words.Add(System.Text.Encoding.UTF8.GetBytes(text[start..i])); start = -1; }
            }
            return [.. words];
        }

        // Qdrant's any/except hold either keywords or integers, never a mix, never bools.
        private static MatchScalarKind ListKind(string key, string what, IReadOnlyList<MatchScalar>? values)
        {
            if (values is null) ThrowHelper.BadRequest($"Field `{key}`: match {what} needs a list of values");
            if (values.Count == 0) return MatchScalarKind.Keyword; // matches nothing (any) / every non-null value (except)
            var kind = values[0].Kind;
            foreach (var v in values)
            {
                if (v.Kind == MatchScalarKind.Bool)
                    ThrowHelper.BadRequest($"Field `{key}`: match {what} accepts keywords or integers, not booleans");
                if (v.Kind != kind)
                    ThrowHelper.BadRequest($"Field `{key}`: match {what} values must be all keywords or all integers, not a mix");
                if (v.Kind == MatchScalarKind.Keyword && v.Keyword is null)
                    ThrowHelper.BadRequest($"Field `{key}`: match {what} holds a null keyword");
            }
            return kind;
        }

        private static HashSet<long> Integers(IReadOnlyList<MatchScalar> values)
        {
            var set = new HashSet<long>(values.Count);
            foreach (var v in values) set.Add(v.Integer);
            return set;
        }

        private static IEnumerable<string> Keywords(IReadOnlyList<MatchScalar> values)
        {
            foreach (var v in values) yield return v.Keyword!;
        }

        private static void CheckBounds(string key, params ReadOnlySpan<double?> bounds)
        {
            foreach (var b in bounds)
                if (b is double d && double.IsNaN(d)) ThrowHelper.BadRequest($"Field `{key}`: range bounds must be numbers, got NaN");
        }

        private static void CheckGeoPoint(string key, string what, GeoPoint p)
        {
            if (!(p.Lon >= -180 && p.Lon <= 180) || !(p.Lat >= -90 && p.Lat <= 90))
                ThrowHelper.BadRequest($"Field `{key}`: {what} must have lon within [-180;180] and lat within [-90;90], got lon={p.Lon}, lat={p.Lat}");
        }

        // Rust's f64::EPSILON (the gap after 1.0), which Qdrant uses to call a ring closed; not .NET's double.Epsilon.
        private const double RustF64Epsilon = 2.220446049250313e-16;

        // Qdrant's GeoPolygon::validate_line_string.
        private static void CheckRing(string key, string what, GeoLineString? ring)
        {
            if (ring?.Points is null) { ThrowHelper.BadRequest($"Field `{key}`: geo_polygon {what} is required"); return; }
            var pts = ring.Points;
            if (pts.Count < 4)
                ThrowHelper.BadRequest($"Field `{key}`: geo_polygon {what} is invalid, the size must be at least 4, got {pts.Count}");
            foreach (var p in pts) CheckGeoPoint(key, $"geo_polygon {what} point", p);
            if (Math.Abs(pts[0].Lat - pts[^1].Lat) > RustF64Epsilon || Math.Abs(pts[0].Lon - pts[^1].Lon) > RustF64Epsilon)
                ThrowHelper.BadRequest($"Field `{key}`: geo_polygon {what} is invalid, the first and the last points should be the same to form a closed line");
        }
    }
}
