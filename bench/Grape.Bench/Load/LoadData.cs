using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grape.Core.Points;

namespace Grape.Bench.Load;

/// <summary>
/// The seeded data every protocol gets: <c>points</c> unit-length vectors (a cosine collection), a small payload per
/// point, and a set of query vectors. Requests are prepared before any clock starts, so client-side encoding is not
/// charged to the server (and the same bytes go to every run).
/// </summary>
internal sealed class LoadData
{
    private readonly float[] _pool;
    private readonly int _poolRows;

    public LoadData(int points, int dim, int queries, int seed = 42)
    {
        Points = points;
        Dim = dim;
        _poolRows = Math.Min(points, 100_000);
        _pool = new float[(long)_poolRows * dim];
        var rng = new Random(seed);
        for (int r = 0; r < _poolRows; r++) Normalize(_pool.AsSpan(r * dim, dim), rng);
        Queries = new float[queries][];
        for (int q = 0; q < queries; q++)
        {
            Queries[q] = new float[dim];
            Normalize(Queries[q], rng);
        }
    }

    public int Points { get; }
    public int Dim { get; }
    public float[][] Queries { get; }

    /// <summary>The vector of point <paramref name="id"/>: a pool row; beyond the pool, the row with one component shifted.</summary>
    public void VectorOf(ulong id, Span<float> into)
    {
        _pool.AsSpan((int)(id % (ulong)_poolRows) * Dim, Dim).CopyTo(into);
        into[0] += (id / (ulong)_poolRows) * 1e-3f;
    }

    public static JsonObject PayloadOf(ulong id) => new() { ["i"] = id, ["group"] = (int)(id % 100), ["tag"] = "t" + (id % 7) };

    public PointStruct[] EmbeddedBatch(ulong first, int count)
    {
        var batch = new PointStruct[count];
        for (int i = 0; i < count; i++)
        {
            ulong id = first + (ulong)i;
            var v = new float[Dim];
            VectorOf(id, v);
            batch[i] = new PointStruct(id, v, PayloadOf(id));
        }
        return batch;
    }

    /// <summary>A REST upsert body (<c>{"points":[{"id":…,"vector":[…],"payload":{…}},…]}</c>) as UTF-8.</summary>
    public byte[] RestBatch(ulong first, int count)
    {
        var buffer = new ArrayBufferWriter<byte>(count * (Dim * 12 + 64));
        using (var w = new Utf8JsonWriter(buffer))
        {
            Span<float> v = stackalloc float[Dim];
            w.WriteStartObject();
            w.WriteStartArray("points");
            for (int i = 0; i < count; i++)
            {
                ulong id = first + (ulong)i;
                VectorOf(id, v);
                w.WriteStartObject();
                w.WriteNumber("id", id);
                w.WriteStartArray("vector");
                foreach (float x in v) w.WriteNumberValue(x);
                w.WriteEndArray();
                w.WritePropertyName("payload");
                PayloadOf(id).WriteTo(w);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A REST search body for query <paramref name="q"/>, top 10, no payload (Qdrant's default).</summary>
    public string RestSearch(int q)
    {
        var sb = new StringBuilder("{\"vector\":[");
        var v = Queries[q];
        for (int i = 0; i < v.Length; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(v[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.Append("],\"limit\":10}").ToString();
    }

    private static void Normalize(Span<float> v, Random rng)
    {
        double norm = 0;
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = rng.NextSingle() * 2 - 1;
            norm += v[i] * v[i];
        }
        float inv = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < v.Length; i++) v[i] *= inv;
    }
}
