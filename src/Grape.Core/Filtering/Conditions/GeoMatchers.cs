using Grape.Core.Filtering.Model;

namespace Grape.Core.Filtering.Conditions;

/// <summary>Reads a payload geo point: an object with numeric <c>lon</c> and <c>lat</c>.</summary>
internal abstract class GeoMatcher : ValueMatcher
{
    private static readonly byte[] Lon = "lon"u8.ToArray(), Lat = "lat"u8.ToArray();

    public sealed override bool Match(ref EvalContext ctx, int node)
    {
        if (ctx.Kind(node) != PayloadNodeKind.Object) return false;
        int lon = ctx.Tape.FindProperty(ctx.Json, node, Lon), lat = ctx.Tape.FindProperty(ctx.Json, node, Lat);
        return lon >= 0 && lat >= 0 && ctx.TryGetDouble(lon, out double x) && ctx.TryGetDouble(lat, out double y)
            && Contains(x, y);
    }

    protected abstract bool Contains(double lon, double lat);
}

/// <summary>geo_bounding_box: strictly inside; a box whose left edge is east of its right edge crosses the antimeridian.</summary>
internal sealed class GeoBoundingBoxMatcher(GeoBoundingBox box) : GeoMatcher
{
    protected override bool Contains(double lon, double lat)
    {
        double left = box.TopLeft.Lon, right = box.BottomRight.Lon;
        bool lonOk = left > right ? lon > left || lon < right : left < lon && lon < right;
        return lonOk && box.BottomRight.Lat < lat && lat < box.TopLeft.Lat;
    }
}

/// <summary>geo_radius: haversine distance to the center strictly below the radius in meters.</summary>
internal sealed class GeoRadiusMatcher(GeoRadius radius) : GeoMatcher
{
    protected override bool Contains(double lon, double lat) =>
        GeoMath.HaversineMeters(radius.Center.Lon, radius.Center.Lat, lon, lat) < radius.Radius;
}

/// <summary>geo_polygon: strictly inside the exterior ring and not inside or on any interior ring.</summary>
internal sealed class GeoPolygonMatcher : GeoMatcher
{
    private readonly GeoPoint[] _exterior;
    private readonly GeoPoint[][] _interiors;

    public GeoPolygonMatcher(GeoPolygon polygon)
    {
        _exterior = [.. polygon.Exterior.Points];
        var interiors = polygon.Interiors ?? [];
        _interiors = new GeoPoint[interiors.Count][];
        for (int i = 0; i < interiors.Count; i++) _interiors[i] = [.. interiors[i].Points];
    }

    protected override bool Contains(double lon, double lat)
    {
        if (GeoMath.RingPosition(_exterior, lon, lat) != GeoMath.Inside) return false;
        foreach (var hole in _interiors)
            if (GeoMath.RingPosition(hole, lon, lat) != GeoMath.Outside) return false;
        return true;
    }
}
