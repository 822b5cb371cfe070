using Grape.Core.Filtering.Conditions;
using Grape.Core.Filtering.Model;

namespace Grape.Core.Indexing.Payload;

/// <summary>
/// geo: points in a lat/lon grid of <see cref="CellDegrees"/>° cells, kept as (cell number, slot) pairs in a range
/// column ordered row by row. A bounding box, a radius (through a box that surely holds the circle) or a polygon
/// (its exterior's box) selects a run of cells per row; the evaluator then checks the exact shape. Points whose
/// coordinates lie outside the valid ranges are always candidates, so answers stay supersets.
/// </summary>
internal sealed class GeoIndex(string key, PayloadFieldSchema schema) : FieldIndex(key, schema)
{
    public const double CellDegrees = 0.25;
    private const int Rows = (int)(180 / CellDegrees), Cols = (int)(360 / CellDegrees);
    private static readonly byte[] Lon = "lon"u8.ToArray(), Lat = "lat"u8.ToArray();

    private readonly RangeColumn<long> _cells = new();
    private readonly PostingList _odd = new();

    protected override bool AddValue(uint offset, ref EvalContext ctx, int node)
    {
        if (ctx.Kind(node) != PayloadNodeKind.Object) return false;
        int lon = ctx.Tape.FindProperty(ctx.Json, node, Lon), lat = ctx.Tape.FindProperty(ctx.Json, node, Lat);
        if (lon < 0 || lat < 0 || !ctx.TryGetDouble(lon, out double x) || !ctx.TryGetDouble(lat, out double y)) return false;
        if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) _odd.Add(offset);
        else _cells.Add(Cell(Row(y), Col(x)), offset);
        return true;
    }

    private static int Row(double lat) => Math.Clamp((int)Math.Floor((lat + 90) / CellDegrees), 0, Rows - 1);
    private static int Col(double lon) => Math.Clamp((int)Math.Floor((lon + 180) / CellDegrees), 0, Cols - 1);
    private static long Cell(int row, int col) => (long)row * Cols + col;

    public override IndexHits? Query(FieldCondition condition)
    {
        if (!IsSingle(condition)) return null;
        var hits = new IndexHits { PartsSorted = false, MaxValuesPerPoint = MaxValuesPerPoint };
        if (condition.GeoBoundingBox is { } box)
        {
            double top = box.TopLeft.Lat, bottom = box.BottomRight.Lat, left = box.TopLeft.Lon, right = box.BottomRight.Lon;
            if (bottom <= top)
            {
                if (left > right) { Rect(bottom, top, left, 180, hits); Rect(bottom, top, -180, right, hits); }
                else Rect(bottom, top, left, right, hits);
            }
        }
        else if (condition.GeoRadius is { } radius)
        {
            RadiusBox(radius, hits);
        }
        else if (condition.GeoPolygon is { } polygon)
        {
            double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
            foreach (var p in polygon.Exterior.Points)
            {
                minX = Math.Min(minX, p.Lon); maxX = Math.Max(maxX, p.Lon);
                minY = Math.Min(minY, p.Lat); maxY = Math.Max(maxY, p.Lat);
            }
            Rect(minY, maxY, minX, maxX, hits);
        }
        else
        {
            return null;
        }
        hits.Add(_odd.Snapshot());
        return hits;
    }

    private void Rect(double latLo, double latHi, double lonLo, double lonHi, IndexHits hits)
    {
        latLo = Math.Max(latLo, -90); latHi = Math.Min(latHi, 90);
        lonLo = Math.Max(lonLo, -180); lonHi = Math.Min(lonHi, 180);
        if (latLo > latHi || lonLo > lonHi) return;
        int c0 = Col(lonLo), c1 = Col(lonHi);
        for (int row = Row(latLo), end = Row(latHi); row <= end; row++)
            _cells.Query(null, Cell(row, c0), null, Cell(row, c1), hits);
    }

    private void RadiusBox(GeoRadius radius, IndexHits hits)
    {
        // Angular radius with a safety margin (haversine on a sphere; the margin covers rounding).
        double delta = radius.Radius / GeoMath.MeanEarthRadiusMeters * 1.001 + 1e-9;
        double lat = radius.Center.Lat, lon = radius.Center.Lon;
        double dLat = delta * 180 / Math.PI + 1e-6;
        if (delta >= Math.PI || lat + dLat >= 90 || lat - dLat <= -90)
        {
            Rect(lat - dLat, lat + dLat, -180, 180, hits); // reaches a pole: every longitude
            return;
        }
        double s = Math.Sin(delta) / Math.Cos(lat * Math.PI / 180);
        if (s >= 1) { Rect(lat - dLat, lat + dLat, -180, 180, hits); return; }
        double dLon = Math.Asin(s) * 180 / Math.PI + 1e-6;
        double lo = lon - dLon, hi = lon + dLon;
        if (lo < -180) { Rect(lat - dLat, lat + dLat, lo + 360, 180, hits); lo = -180; }
        if (hi > 180) { Rect(lat - dLat, lat + dLat, -180, hi - 360, hits); hi = 180; }
        Rect(lat - dLat, lat + dLat, lo, hi, hits);
    }

    protected override void WriteValues(BinaryWriter w, uint limit)
    {
        _cells.Write(w, limit, static (bw, v) => bw.Write(v));
        WritePosting(w, _odd, limit);
    }

    protected override void ReadValues(BinaryReader r)
    {
        _cells.Read(r, static br => br.ReadInt64());
        foreach (var o in ReadPosting(r).Snapshot()) _odd.Add(o);
    }
}
