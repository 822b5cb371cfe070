using Grape.Core.Filtering.Model;

namespace Grape.Core.Filtering.Conditions;

internal static class GeoMath
{
    /// <summary>The mean Earth radius the <c>geo</c> crate (and so Qdrant) uses for haversine.</summary>
    public const double MeanEarthRadiusMeters = 6371008.8;

    public const int Outside = -1, OnBoundary = 0, Inside = 1;

    public static double HaversineMeters(double lon1, double lat1, double lon2, double lat2)
    {
        double phi1 = DegToRad(lat1), phi2 = DegToRad(lat2);
        double dPhi = DegToRad(lat2 - lat1), dLambda = DegToRad(lon2 - lon1);
        double s1 = Math.Sin(dPhi / 2), s2 = Math.Sin(dLambda / 2);
        double a = s1 * s1 + Math.Cos(phi1) * Math.Cos(phi2) * s2 * s2;
        return MeanEarthRadiusMeters * 2 * Math.Asin(Math.Sqrt(a));
    }

    private static double DegToRad(double d) => d * (Math.PI / 180.0);

    /// <summary>Where (lon, lat) lies relative to a closed ring, in plane coordinates as the <c>geo</c> crate does.</summary>
    public static int RingPosition(GeoPoint[] ring, double x, double y)
    {
        bool inside = false;
        for (int i = 0, j = ring.Length - 1; i < ring.Length; j = i++)
        {
            double xi = ring[i].Lon, yi = ring[i].Lat, xj = ring[j].Lon, yj = ring[j].Lat;
            if (OnSegment(xj, yj, xi, yi, x, y)) return OnBoundary;
            // Even-odd crossing rule with a half-open test on y, so a vertex is counted once.
            if ((yi > y) != (yj > y))
            {
                double xCross = xi + (y - yi) * (xj - xi) / (yj - yi);
                if (x < xCross) inside = !inside;
            }
        }
        return inside ? Inside : Outside;
    }

    private static bool OnSegment(double ax, double ay, double bx, double by, double x, double y)
    {
        double cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
        return cross == 0
            && x >= Math.Min(ax, bx) && x <= Math.Max(ax, bx)
            && y >= Math.Min(ay, by) && y <= Math.Max(ay, by);
    }
}
