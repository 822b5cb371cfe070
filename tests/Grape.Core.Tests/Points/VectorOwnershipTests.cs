using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;

namespace Grape.Core.Tests.Points;

/// <summary>Who may change a vector's array on write, and the one-entry map of a point with only the unnamed vector.</summary>
public sealed class VectorOwnershipTests
{
    [Fact]
    public void A_handed_over_array_is_normalized_in_place_and_a_plain_one_is_left_alone()
    {
        using var db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });
        db.CreateCollection("c", CreateCollectionRequest.Single(2, Distance.Cosine));
        float[] plain = [3f, 4f], handed = [6f, 8f];
        db.Upsert("c", [new PointStruct(1, plain), new PointStruct(2, Vector.FromDenseHandedOver(handed))]);
        Assert.Equal([3f, 4f], plain);
        Assert.Equal([0.6f, 0.8f], handed);
        foreach (var record in db.Get("c", [1, 2], PayloadSelector.None, VectorSelector.All))
            Assert.Equal([0.6f, 0.8f], record.Vectors![PointStruct.DefaultVector].Dense);

        // Dot product keeps the vector as given either way (nothing to change, nothing copied).
        db.CreateCollection("d", CreateCollectionRequest.Single(2, Distance.Dot));
        float[] dot = [3f, 4f];
        db.Upsert("d", [new PointStruct(1, Vector.FromDenseHandedOver(dot))]);
        Assert.Equal([3f, 4f], dot);
        Assert.Equal([3f, 4f], db.Get("d", [1], PayloadSelector.None, VectorSelector.All)[0].Vectors![PointStruct.DefaultVector].Dense);
    }

    [Fact]
    public void The_unnamed_vector_map_reads_as_a_dictionary_of_one_entry()
    {
        var v = Vector.FromDense([1f, 2f]);
        IReadOnlyDictionary<string, Vector> map = new PointStruct(5, v).Vectors;
        Assert.Single(map);
        Assert.Same(v, map[PointStruct.DefaultVector]);
        Assert.True(map.ContainsKey(""));
        Assert.False(map.ContainsKey("other"));
        Assert.False(map.TryGetValue("other", out _));
        Assert.True(map.TryGetValue("", out var got) && ReferenceEquals(v, got));
        Assert.Throws<KeyNotFoundException>(() => map["other"]);
        Assert.Equal([""], map.Keys);
        Assert.Equal([v], map.Values);
        Assert.Equal([new KeyValuePair<string, Vector>("", v)], map.ToList());
    }

    [Fact]
    public void A_point_of_one_multivector_or_a_wrong_size_goes_through_the_same_checks()
    {
        using var db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });
        db.CreateCollection("c", CreateCollectionRequest.Single(2, Distance.Dot));
        var e = Assert.Throws<Errors.BadRequestException>(() => db.Upsert("c", [new PointStruct(1, Vector.FromDenseHandedOver([1f, 2f, 3f]))]));
        Assert.Contains("expected dim: 2, got 3", e.Message);
        Assert.Throws<Errors.BadRequestException>(() => db.Upsert("c", [new PointStruct(1, Vector.FromMulti([[1f, 2f], [3f, 4f]]))]));
        Assert.Equal(0, db.Count("c"));
    }
}
