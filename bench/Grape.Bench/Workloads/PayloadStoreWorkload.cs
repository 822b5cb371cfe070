using System.Diagnostics;
using System.Text;
using Grape.Core.Points;
using Grape.Core.Storage.Segments;
using LightningDB;
using RocksDbSharp;

namespace Grape.Bench.Workloads;

/// <summary>
/// `payload-store --points N`: the measurement behind the payload storage choice (ARCHITECTURE.md). Writes N JSON
/// payloads keyed by point id, makes them durable, then reads them back in random order, through (1) Grape's segment
/// (append-only memory-mapped blobs + slot table), (2) LightningDB (LMDB) and (3) RocksDB. One JSON line per figure.
/// </summary>
internal static class PayloadStoreWorkload
{
    public static int Run(string[] args)
    {
        // The package ships liblmdb under runtimes/<rid>/native, which a RID-less build does not probe on its own.
        System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(LightningEnvironment).Assembly, (name, _, _) =>
        {
            string file = name.StartsWith("lib", StringComparison.Ordinal) ? name : "lib" + name;
            string path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", file + ".so");
            // The packaged build needs glibc 2.38; on older systems use Debian's liblmdb0 (bench/payload-store.sh installs it).
            foreach (var candidate in new[] { path, "liblmdb.so.0" })
                if (System.Runtime.InteropServices.NativeLibrary.TryLoad(candidate, out var handle)) return handle;
            return IntPtr.Zero;
        });
        int n = IntArg(args, "--points", 1_000_000);
        int reads = IntArg(args, "--reads", 1_000_000);
        string root = Path.Combine(StrArg(args, "--dir", Path.GetTempPath()), "grape-payload-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var payloads = new byte[n][];
        for (int i = 0; i < n; i++)
            payloads[i] = Encoding.UTF8.GetBytes($"{{\"city\":\"city-{i % 1000}\",\"n\":{i},\"tags\":[\"a\",\"b{i % 7}\"],\"price\":{i * 0.25}}}");
        var order = new int[reads];
        var rnd = new Random(42);
        for (int i = 0; i < reads; i++) order[i] = rnd.Next(n);
        try
        {
            Measure("grape-segment", n, reads, () => GrapeSegment(root, payloads, order));
            Measure("lmdb", n, reads, () => Lmdb(root, payloads, order));
            Measure("rocksdb", n, reads, () => Rocks(root, payloads, order));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    private static void Measure(string store, int n, int reads, Func<(double WriteS, double ReadS, long Bytes, long Checksum)> run)
    {
        var (w, r, bytes, sum) = run();
        Line(store, "write_per_s", n / w, "points/s", n);
        Line(store, "random_read_per_s", reads / r, "reads/s", n);
        Line(store, "disk_bytes_per_point", (double)bytes / n, "bytes", n);
        if (sum <= 0) throw new InvalidOperationException($"{store} read back nothing");
    }

    private static (double, double, long, long) GrapeSegment(string root, byte[][] payloads, int[] order)
    {
        string dir = Path.Combine(root, "grape");
        var sw = Stopwatch.StartNew();
        using var seg = Segment.CreateAppendable(dir, [new SegmentVectorSpec("", 1, OnDisk: true)]);
        var vec = new float[]?[] { [0f] };
        for (int i = 0; i < payloads.Length; i++) seg.Upsert((ulong)i + 1, PointId.FromNumber((ulong)i), vec, payloads[i]);
        seg.Flush();
        double w = sw.Elapsed.TotalSeconds;
        sw.Restart();
        long sum = 0;
        foreach (int i in order)
        {
            seg.TryGetOffset(PointId.FromNumber((ulong)i), out uint off);
            sum += seg.GetPayload(off).Length;
        }
        return (w, sw.Elapsed.TotalSeconds, DirSize(dir), sum);
    }

    private static (double, double, long, long) Lmdb(string root, byte[][] payloads, int[] order)
    {
        string dir = Path.Combine(root, "lmdb");
        Directory.CreateDirectory(dir);
        var sw = Stopwatch.StartNew();
        using var env = new LightningEnvironment(dir) { MapSize = 8L << 30 };
        env.Open();
        Span<byte> key = stackalloc byte[8];
        using (var tx = env.BeginTransaction())
        using (var db = tx.OpenDatabase(configuration: new DatabaseConfiguration { Flags = DatabaseOpenFlags.Create }))
        {
            for (int i = 0; i < payloads.Length; i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key, (ulong)i);
                tx.Put(db, key, payloads[i]);
            }
            tx.Commit(); // LMDB commits durably (fsync) by default
        }
        double w = sw.Elapsed.TotalSeconds;
        sw.Restart();
        long sum = 0;
        using (var tx = env.BeginTransaction(TransactionBeginFlags.ReadOnly))
        using (var db = tx.OpenDatabase())
        {
            foreach (int i in order)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key, (ulong)i);
                var (_, _, value) = tx.Get(db, key);
                sum += value.AsSpan().Length;
            }
        }
        return (w, sw.Elapsed.TotalSeconds, DirSize(dir), sum);
    }

    private static (double, double, long, long) Rocks(string root, byte[][] payloads, int[] order)
    {
        string dir = Path.Combine(root, "rocks");
        var sw = Stopwatch.StartNew();
        var options = new DbOptions().SetCreateIfMissing(true);
        using var db = RocksDb.Open(options, dir);
        var key = new byte[8];
        var wo = new WriteOptions().SetSync(false);
        for (int start = 0; start < payloads.Length; start += 1000)
        {
            using var batch = new WriteBatch();
            for (int i = start; i < Math.Min(payloads.Length, start + 1000); i++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key, (ulong)i);
                batch.Put(key, payloads[i]);
            }
            db.Write(batch, wo);
        }
        db.Flush(new FlushOptions().SetWaitForFlush(true)); // durable memtable flush, comparable to the others' fsync
        double w = sw.Elapsed.TotalSeconds;
        sw.Restart();
        long sum = 0;
        foreach (int i in order)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key, (ulong)i);
            sum += db.Get(key)?.Length ?? 0;
        }
        return (w, sw.Elapsed.TotalSeconds, DirSize(dir), sum);
    }

    private static void Line(string store, string metric, double value, string unit, int points) =>
        Console.WriteLine(System.FormattableString.Invariant(
            $"{{\"bench\":\"payload-store\",\"metric\":\"{metric}\",\"value\":{value:0.###},\"unit\":\"{unit}\",\"store\":\"{store}\",\"points\":{points}}}"));

    private static int IntArg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    private static string StrArg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>Allocated bytes (du), not apparent sizes: mapped files are sparse and pre-sized.</summary>
    private static long DirSize(string dir)
    {
        using var du = System.Diagnostics.Process.Start(new ProcessStartInfo("du", ["-s", "-B1", dir]) { RedirectStandardOutput = true })!;
        string output = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        return long.Parse(output.Split('\t')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
