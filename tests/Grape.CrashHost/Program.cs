using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;

namespace Grape.CrashHost;

/// <summary>
/// A child process for the durability tests: <c>Grape.CrashHost &lt;storageDir&gt; &lt;seed&gt; [startId]</c> writes to the
/// collection "crash" with <c>wait=true</c> until it is killed. Protocol on stdout, one flushed line per event:
/// <c>READY</c> once the database is open; before each call its intent (<c>TRY first last batch</c>, <c>TRYDEL id</c>,
/// <c>TRYSET id value</c>); after each acknowledged call <c>ACK first last</c>, <c>DEL id</c> or <c>SET id value</c>.
/// The intent lines let the test tell "sent but not acknowledged" (may or may not survive) from "never sent" (must not exist).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length < 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int seed))
        {
            Console.Error.WriteLine("usage: Grape.CrashHost <storageDir> <seed> [startId]");
            return 2;
        }
        ulong nextId = args.Length > 2 ? ulong.Parse(args[2], CultureInfo.InvariantCulture) : 1;
        // Our own writer: one write + flush per line, so a line is either wholly in the pipe or not at all.
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };
        void Say(string line) { stdout.Write(line + "\n"); stdout.Flush(); }

        using var db = GrapeDatabase.Open(args[0]);
        if (!db.CollectionExists(CrashData.Collection))
        {
            try { db.CreateCollection(CrashData.Collection, CreateCollectionRequest.Single(CrashData.Dimension, Distance.Euclid)); }
            catch (AlreadyExistsException) { }
        }
        Say("READY");

        var rng = new Random(seed);
        var wait = WriteOptions.WaitForDurable;
        var live = new List<ulong>(); // ids this run upserted and has not deleted: targets for deletes and set-payload
        int batch = 0;
        while (true)
        {
            int roll = rng.Next(100);
            if (roll < 8 && live.Count > 0)
            {
                int at = rng.Next(live.Count);
                ulong id = live[at];
                live[at] = live[^1];
                live.RemoveAt(live.Count - 1);
                Say(Invariant($"TRYDEL {id}"));
                db.Delete(CrashData.Collection, [PointId.FromNumber(id)], wait);
                Say(Invariant($"DEL {id}"));
            }
            else if (roll < 16 && live.Count > 0)
            {
                ulong id = live[rng.Next(live.Count)];
                long value = rng.NextInt64(1, long.MaxValue);
                Say(Invariant($"TRYSET {id} {value}"));
                db.SetPayload(CrashData.Collection, new JsonObject { ["set"] = value }, PointsSelector.Ids([PointId.FromNumber(id)]), write: wait);
                Say(Invariant($"SET {id} {value}"));
            }
            else
            {
                int size = rng.Next(1, 51);
                ulong first = nextId, last = nextId + (ulong)size - 1;
                var points = new PointStruct[size];
                for (int i = 0; i < size; i++)
                {
                    ulong id = first + (ulong)i;
                    points[i] = new PointStruct(id, CrashData.VectorOf(id), CrashData.PayloadOf(id, batch));
                }
                Say(Invariant($"TRY {first} {last} {batch}"));
                db.Upsert(CrashData.Collection, points, wait);
                Say(Invariant($"ACK {first} {last}"));
                for (ulong id = first; id <= last; id++) live.Add(id);
                nextId = last + 1;
                batch++;
            }
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
