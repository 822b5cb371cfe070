using System.Text;
using System.Text.Json.Nodes;
using Grape.Core.Filtering.Model;
using Grape.Core.Filtering.Planning;
using Grape.Core.Indexing.Payload;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;
using Grape.Core.Tests.TestKit;

namespace Grape.Core.Tests.Filtering.Planning;

/// <summary>Cardinality estimation from the indexes of one segment: bounds that hold, and primaries that cover every match.</summary>
public sealed class FilterPlannerTests : IDisposable
{
    private const int N = 1000;
    private readonly TempDir _dir = new();
    private readonly Segment _segment;

    public FilterPlannerTests()
    {
        _segment = Segment.CreateAppendable(Path.Combine(_dir.Path, "s"), [new SegmentVectorSpec("", 1, false)]);
        for (int i = 0; i < N; i++)
        {
            var payload = new JsonObject { ["color"] = (i % 10) switch { 0 => "red", < 4 => "green", _ => "blue" }, ["n"] = i, ["free"] = i % 2 };
            _segment.Upsert((ulong)i + 1, (ulong)i, [new float[] { 1 }], Encoding.UTF8.GetBytes(payload.ToJsonString()));
        }
        _segment.CreateFieldIndex("color", PayloadSchemaType.Keyword);
        _segment.CreateFieldIndex("n", PayloadSchemaType.Integer);
    }

    public void Dispose()
    {
        _segment.Dispose();
        _dir.Dispose();
    }

    private static FieldCondition Color(string c) => new("color") { Match = new MatchValue(c) };
    private static FieldCondition NBelow(double x) => new("n") { Range = new Grape.Core.Filtering.Model.Range { Lt = x } };
    private static FieldCondition Free(long v) => new("free") { Match = new MatchValue(v) };

    private static void Holds(CardinalityEstimation e, long actual)
    {
        Assert.True(e.Min <= actual && actual <= e.Max, $"{actual} outside [{e.Min}, {e.Max}]");
        Assert.InRange(e.Exp, e.Min, e.Max);
    }

    [Fact]
    public void A_single_indexed_condition_is_exact_and_iterable()
    {
        var e = FilterPlanner.Estimate(Filter.MustAll(Color("red")), _segment);
        Assert.Equal(100, e.Max);
        Assert.True(e.Exact);
        Assert.Equal(100, FilterPlanner.Candidates(e).Count);
        Holds(e, 100);
    }

    [Fact]
    public void Must_takes_the_smallest_primary_and_intersects_bounds()
    {
        var e = FilterPlanner.Estimate(Filter.MustAll(Color("green"), NBelow(50), Free(1)), _segment);
        Assert.False(e.Exact);
        Assert.Equal(50, e.PrimaryEntries); // the range is rarer than green (300)
        Holds(e, Enumerable.Range(0, 50).Count(i => i % 10 is >= 1 and < 4 && i % 2 == 1));
    }

    [Fact]
    public void Should_needs_every_branch_indexed_to_iterate()
    {
        var both = FilterPlanner.Estimate(new Filter { Should = [Color("red"), NBelow(10)] }, _segment);
        Assert.NotNull(both.Primaries);
        Assert.Equal(110, both.PrimaryEntries);
        Holds(both, Enumerable.Range(0, N).Count(i => i % 10 == 0 || i < 10));
        Assert.Equal(Enumerable.Range(0, N).Where(i => i % 10 == 0 || i < 10).Select(i => (uint)i), FilterPlanner.Candidates(both));
        var unindexed = FilterPlanner.Estimate(new Filter { Should = [Color("red"), Free(0)] }, _segment);
        Assert.Null(unindexed.Primaries);
        Holds(unindexed, Enumerable.Range(0, N).Count(i => i % 10 == 0 || i % 2 == 0));
    }

    [Fact]
    public void Must_not_inverts_and_min_should_bounds_by_its_count()
    {
        var not = FilterPlanner.Estimate(new Filter { MustNot = [Color("blue")] }, _segment);
        Assert.Null(not.Primaries);
        Assert.Equal(N - 600, not.Max);
        Holds(not, 400);
        var min2 = FilterPlanner.Estimate(new Filter { MinShould = new MinShould([Color("red"), NBelow(100), Color("green")], 2) }, _segment);
        Assert.NotNull(min2.Primaries);
        Assert.Equal((100 + 100 + 300) / 2, min2.Max);
        Holds(min2, Enumerable.Range(0, N).Count(i => (i % 10 == 0 ? 1 : 0) + (i < 100 ? 1 : 0) + (i % 10 is >= 1 and < 4 ? 1 : 0) >= 2));
    }

    [Fact]
    public void Nested_conditions_use_indexes_on_the_full_path_and_has_id_is_a_primary()
    {
        var ids = FilterPlanner.Estimate(Filter.MustAll(new HasIdCondition(new HashSet<PointId> { 3UL, 5UL, 5000UL })), _segment);
        Assert.True(ids.Exact);
        Assert.Equal(new uint[] { 3, 5 }, FilterPlanner.Candidates(ids).ToArray());
        var nested = FilterPlanner.Estimate(Filter.MustAll(new NestedCondition("items", Filter.MustAll(new FieldCondition("sku") { Match = new MatchValue("x") }))), _segment);
        Assert.Null(nested.Primaries); // no index on items[].sku
        _segment.CreateFieldIndex("items[].sku", PayloadSchemaType.Keyword);
        nested = FilterPlanner.Estimate(Filter.MustAll(new NestedCondition("items", Filter.MustAll(new FieldCondition("sku") { Match = new MatchValue("x") }))), _segment);
        Assert.NotNull(nested.Primaries);
        Assert.False(nested.Exact);
        Assert.Equal(0, nested.Max);
    }
}
