using System.Text.Json.Nodes;

namespace Grape.Bench.Ann;

/// <summary>
/// Checks of the TEXMEX reader, the sha256 check and the recall count against references built here (the bench
/// project has no test project; <c>ann</c> runs these before every measurement, <c>ann --self-check</c> alone).
/// Throws <see cref="InvalidOperationException"/> on the first mismatch.
/// </summary>
internal static class AnnSelfCheck
{
    public static void Run()
    {
        string dir = Path.Combine(Path.GetTempPath(), "grape-ann-check-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            ReaderRoundTrips(dir);
            ReaderRejectsMalformedFiles(dir);
            Sha256IsChecked(dir);
            RecallCountsLikeASetIntersection();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void ReaderRoundTrips(string dir)
    {
        var rnd = new Random(7);
        for (int round = 0; round < 20; round++)
        {
            int dim = rnd.Next(1, 70), rows = rnd.Next(1, 120);
            var floats = new float[rows * dim];
            var ints = new int[rows * dim];
            for (int i = 0; i < floats.Length; i++) { floats[i] = (float)(rnd.NextDouble() * 2000 - 1000); ints[i] = rnd.Next(int.MinValue, int.MaxValue); }
            string fvecs = Path.Combine(dir, "r.fvecs"), ivecs = Path.Combine(dir, "r.ivecs");
            // An independent writer: record by record through BinaryWriter (little-endian by definition).
            using (var w = new BinaryWriter(File.Create(fvecs)))
                for (int r = 0; r < rows; r++) { w.Write(dim); for (int j = 0; j < dim; j++) w.Write(floats[r * dim + j]); }
            using (var w = new BinaryWriter(File.Create(ivecs)))
                for (int r = 0; r < rows; r++) { w.Write(dim); for (int j = 0; j < dim; j++) w.Write(ints[r * dim + j]); }

            var f = VecsFile.ReadFvecs(fvecs);
            Check(f.Rows == rows && f.Cols == dim && f.Data.AsSpan().SequenceEqual(floats), $"fvecs round trip ({rows} × {dim})");
            var i2 = VecsFile.ReadIvecs(ivecs);
            Check(i2.Rows == rows && i2.Cols == dim && i2.Data.AsSpan().SequenceEqual(ints), $"ivecs round trip ({rows} × {dim})");
            int limit = rnd.Next(1, rows + 2);
            var some = VecsFile.ReadFvecs(fvecs, limit);
            Check(some.Rows == Math.Min(limit, rows) && some.Data.AsSpan().SequenceEqual(floats.AsSpan(0, some.Rows * dim)), "fvecs with a row limit");
            Check(f.Row(rows - 1).SequenceEqual(floats.AsSpan((rows - 1) * dim, dim)), "last row");
        }
    }

    private static void ReaderRejectsMalformedFiles(string dir)
    {
        string path = Path.Combine(dir, "bad.fvecs");
        using (var w = new BinaryWriter(File.Create(path))) { w.Write(2); w.Write(1f); w.Write(2f); w.Write(3); w.Write(1f); w.Write(2f); }
        Check(Throws(() => VecsFile.ReadFvecs(path)), "a record whose dimension differs is rejected");
        using (var w = new BinaryWriter(File.Create(path))) { w.Write(2); w.Write(1f); w.Write(2f); w.Write(2); w.Write(1f); }
        Check(Throws(() => VecsFile.ReadFvecs(path)), "a truncated record is rejected");
    }

    private static void Sha256IsChecked(string dir)
    {
        string path = Path.Combine(dir, "abc");
        File.WriteAllText(path, "abc");
        const string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2's example
        AnnDataset.VerifyFile(path, new JsonObject { ["bytes"] = 3L, ["sha256"] = abc });
        Check(Throws(() => AnnDataset.VerifyFile(path, new JsonObject { ["bytes"] = 3L, ["sha256"] = abc.Replace('b', 'c') })), "a wrong sha256 is rejected");
        Check(Throws(() => AnnDataset.VerifyFile(path, new JsonObject { ["bytes"] = 4L, ["sha256"] = abc })), "a wrong size is rejected");
    }

    private static void RecallCountsLikeASetIntersection()
    {
        // Hand case: query 0 finds 9 of its 10, query 1 finds one id three times and misses the rest.
        var truth = new Matrix<int>([.. Enumerable.Range(0, 10), .. Enumerable.Range(10, 10)], 2, 10);
        int[] found = [0, 1, 2, 3, 4, 5, 6, 7, 8, 99, 10, 10, 10, -1, -1, -1, -1, -1, -1, -1];
        Check(Recall.AtK(found, truth, 2, 10) == 0.5, "recall of the hand case is (9 + 1) / 20");
        Check(Recall.AtK(found, truth, 1, 10) == 0.9, "recall of the first query alone");

        // Random cases against a set-based reference; truth rows longer than k (as groundtruth.ivecs has 100).
        var rnd = new Random(11);
        for (int round = 0; round < 200; round++)
        {
            int k = rnd.Next(1, 12), queries = rnd.Next(1, 30), cols = k + rnd.Next(0, 5);
            var t = new int[queries * cols];
            var f = new int[queries * k];
            for (int q = 0; q < queries; q++)
            {
                var ids = Enumerable.Range(0, 40).OrderBy(_ => rnd.Next()).Take(cols).ToArray(); // distinct, like true neighbours
                ids.CopyTo(t, q * cols);
                for (int j = 0; j < k; j++) f[q * k + j] = rnd.Next(-1, 40);
            }
            var m = new Matrix<int>(t, queries, cols);
            long hits = 0;
            for (int q = 0; q < queries; q++)
            {
                var set = new HashSet<int>(f.AsSpan(q * k, k).ToArray());
                set.IntersectWith(t.AsSpan(q * cols, k).ToArray());
                hits += set.Count;
            }
            double expected = (double)hits / (queries * k);
            Check(Math.Abs(Recall.AtK(f, m, queries, k) - expected) < 1e-12, $"recall@{k} of {queries} random queries");
        }
    }

    private static bool Throws(Action action)
    {
        try { action(); return false; }
        catch (InvalidDataException) { return true; }
    }

    private static void Check(bool ok, string what)
    {
        if (!ok) throw new InvalidOperationException("ann self-check failed: " + what);
    }
}
