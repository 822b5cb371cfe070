using Grape.Core.Points;

namespace Grape.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void Point_ids_order_numbers_before_uuids()
    {
        Assert.True(PointId.FromNumber(ulong.MaxValue) < PointId.FromUuid(Guid.Empty));
        Assert.Equal("550e8400-e29b-41d4-a716-446655440000", PointId.Parse("550E8400-E29B-41D4-A716-446655440000").ToString());
    }
}
