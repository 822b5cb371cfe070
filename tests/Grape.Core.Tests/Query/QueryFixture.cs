using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Points;

namespace Grape.Core.Tests.Query;

/// <summary>A collection with two named vectors ("a", "b") and payloads, plus brute-force references in double precision.</summary>
internal sealed class QueryFixture : IDisposable
{
    public const int Dim = 8;
    public readonly Dictionary<ulong, float[]> A = [], B = [];
    public readonly Dictionary<ulong, JsonObject> Payloads = [];
    public readonly GrapeDatabase Db;
    public readonly Distance Distance;

    public QueryFixture(Distance distance, int n = 150, int seed = 1)
    {
        Distance = distance;
        var r = new Random(seed);
        Db = GrapeDatabase.Open(GrapeOptions.InMemory() with { EnableOptimizer = false });
        Db.CreateCollection("c", new CreateCollectionRequest
        {
            Vectors = new Dictionary<string, VectorParams> { ["a"] = new(Dim, distance), ["b"] = new(Dim, distance) },
        });
        var points = new List<PointStruct>();
        for (ulong id = 1; id <= (ulong)n; id++)
        {
            A[id] = Random(r);
            B[id] = Random(r);
            Payloads[id] = new JsonObject
            {
                ["g"] = (int)(id % 7),
                ["boost"] = Math.Round(r.NextDouble() * 10, 3),
                ["even"] = id % 2 == 0,
                ["rank"] = (int)(id * 37 % 101),
                ["tags"] = new JsonArray((int)(id % 3), (int)(id % 5)),
            };
            points.Add(new PointStruct(id, new Dictionary<string, Vector> { ["a"] = A[id], ["b"] = B[id] }, (JsonObject)Payloads[id].DeepClone()));
        }
        Db.Upsert("c", points);
    }

    public static float[] Random(Random r)
    {
        var v = new float[Dim];
        for (int i = 0; i < Dim; i++) v[i] = (float)(r.NextDouble() * 2 - 1);
        return v;
    }

    /// <summary>Qdrant's raw similarity (higher is better): dot of normalised vectors, dot, −squared L2, −L1.</summary>
    public double Similarity(float[] x, float[] y)
    {
        double s = 0, nx = 0, ny = 0;
        for (int i = 0; i < x.Length; i++)
        {
            switch (Distance)
            {
                case Distance.Euclid: { double d = (double)x[i] - y[i]; s -= d * d; break; }
                case Distance.Manhattan: s -= Math.Abs((double)x[i] - y[i]); break;
                default: s += (double)x[i] * y[i]; nx += (double)x[i] * x[i]; ny += (double)y[i] * y[i]; break;
            }
        }
        return Distance == Distance.Cosine ? s / Math.Sqrt(nx * ny) : s;
    }

    /// <summary>The reported score of a nearest query (distance for Euclid/Manhattan).</summary>
    public double NearestScore(float[] q, float[] v)
    {
        double s = Similarity(q, v);
        return Distance switch { Distance.Euclid => Math.Sqrt(-s), Distance.Manhattan => -s, _ => s };
    }

    /// <summary>Ranks ids by a value, higher first, ties by id.</summary>
    public static List<(ulong Id, double Score)> Rank(IEnumerable<ulong> ids, Func<ulong, double> rank, Func<ulong, double> score, int k) =>
        ids.Select(id => (id, rank(id))).OrderByDescending(x => x.Item2).ThenBy(x => x.id).Take(k).Select(x => (x.id, score(x.id))).ToList();

    public static void Same(IReadOnlyList<(ulong Id, double Score)> want, IReadOnlyList<ScoredPoint> got, double tolerance = 1e-5)
    {
        Assert.Equal(want.Count, got.Count);
        for (int i = 0; i < want.Count; i++)
        {
            Assert.True(Math.Abs(want[i].Score - got[i].Score) <= tolerance * Math.Max(1, Math.Abs(want[i].Score)),
                $"rank {i}: want {want[i].Id}={want[i].Score}, got {got[i].Id}={got[i].Score}");
            Assert.Equal(want[i].Id, got[i].Id.Number);
        }
    }

    public void Dispose() => Db.Dispose();
}
