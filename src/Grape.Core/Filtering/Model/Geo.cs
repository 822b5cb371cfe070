namespace Grape.Core.Filtering.Model;

/// <summary>A point on Earth in degrees.</summary>
public readonly record struct GeoPoint(double Lon, double Lat);

/// <summary>The box between two corners.</summary>
public sealed record GeoBoundingBox(GeoPoint TopLeft, GeoPoint BottomRight);

/// <summary>Within <see cref="Radius"/> meters of <see cref="Center"/>.</summary>
public sealed record GeoRadius(GeoPoint Center, double Radius);

/// <summary>A closed line (first point equals last point).</summary>
public sealed record GeoLineString(IReadOnlyList<GeoPoint> Points);

/// <summary>Inside <see cref="Exterior"/> and outside every interior ring.</summary>
public sealed record GeoPolygon(GeoLineString Exterior, IReadOnlyList<GeoLineString>? Interiors = null);
