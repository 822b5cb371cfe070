using Grape.Core.Errors;
using Grape.Core.Storage.Wal;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grape.Core.Tests.Storage.Wal;

public sealed class WriteAheadLogTests : IDisposable
{
    private readonly WalTestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string LogDir => Path.Combine(_folder.Path, "wal");

    private static WriteAheadLog Open(string directory, long capacity = 1024, bool durable = true) =>
        WriteAheadLog.Open(directory, new WalOptions(capacity, Durable: durable), NullLogger.Instance);

    /// <summary>A deterministic payload for an op number, of varying length (some empty).</summary>
    private static byte[] PayloadFor(ulong opNum)
    {
        var payload = new byte[(int)(opNum * 37 % 90)];
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(opNum * 31 + (ulong)i * 7);
        return payload;
    }

    private static void AppendRange(WriteAheadLog log, ulong from, ulong to)
    {
        for (ulong op = from; op <= to; op++) Assert.Equal(op, log.Append(PayloadFor(op)));
    }

    private static void AssertRecords(WriteAheadLog log, ulong from, ulong to)
    {
        var records = log.ReadFrom(from).ToList();
        Assert.Equal((int)(to - from + 1), records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            Assert.Equal(from + (ulong)i, records[i].OpNum);
            Assert.Equal(PayloadFor(records[i].OpNum), records[i].Payload.ToArray());
        }
    }

    [Fact]
    public void Records_round_trip_across_multiple_files()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, 300);
            log.Flush();
            Assert.Equal(300UL, log.DurableOpNum);
            AssertRecords(log, 1, 300);
            AssertRecords(log, 157, 300);
        }
        string[] files = _folder.WalFiles(LogDir);
        Assert.True(files.Length > 5, $"expected several files, got {files.Length}");
        Assert.Equal("00000000000000000001.wal", Path.GetFileName(files[0]));
        Assert.All(files, f => Assert.True(new FileInfo(f).Length <= 1024));

        using WriteAheadLog reopened = Open(LogDir);
        Assert.Equal(1UL, reopened.FirstOpNum);
        Assert.Equal(300UL, reopened.LastOpNum);
        AssertRecords(reopened, 1, 300);
    }

    [Fact]
    public void Spare_files_ahead_are_used_and_their_zero_space_is_not_read_as_records()
    {
        var options = new WalOptions(1024, SegmentsAhead: 2);
        using (WriteAheadLog log = WriteAheadLog.Open(LogDir, options, NullLogger.Instance))
        {
            Assert.Equal(2, Directory.GetFiles(LogDir, "*.spare").Length);
            AppendRange(log, 1, 150);
            log.Flush();
            AssertRecords(log, 1, 150);
        }
        string[] files = _folder.WalFiles(LogDir);
        Assert.True(files.Length > 3);
        Assert.All(files[..^1], f => Assert.True(new FileInfo(f).Length <= 1024, "sealed files are cut to their records"));

        using (WriteAheadLog log = WriteAheadLog.Open(LogDir, options, NullLogger.Instance))
        {
            Assert.Equal(150UL, log.LastOpNum);
            AppendRange(log, 151, 300);
        }
        using WriteAheadLog reopened = WriteAheadLog.Open(LogDir, options, NullLogger.Instance);
        AssertRecords(reopened, 1, 300);
    }

    [Fact]
    public void Files_are_named_by_their_first_op_number()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, 100);
        }
        using WriteAheadLog reopened = Open(LogDir);
        foreach (string file in _folder.WalFiles(LogDir))
        {
            ulong first = ulong.Parse(Path.GetFileNameWithoutExtension(file), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(first, reopened.ReadFrom(first).First().OpNum);
            Assert.Equal(20, Path.GetFileNameWithoutExtension(file).Length);
        }
    }

    [Fact]
    public void Reopen_continues_numbering()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, 10);
        }
        using (WriteAheadLog log = Open(LogDir))
        {
            Assert.Equal(1UL, log.FirstOpNum);
            Assert.Equal(10UL, log.LastOpNum);
            Assert.Equal(10UL, log.DurableOpNum);
            AppendRange(log, 11, 20);
        }
        using WriteAheadLog reopened = Open(LogDir);
        Assert.Equal(20UL, reopened.LastOpNum);
        AssertRecords(reopened, 1, 20);
    }

    [Fact]
    public void Record_larger_than_the_capacity_goes_alone_in_its_file()
    {
        var big = new byte[3000];
        new Random(7).NextBytes(big);
        using (WriteAheadLog log = Open(LogDir, capacity: 256))
        {
            log.Append([1, 2, 3]);
            Assert.Equal(2UL, log.Append(big));
            log.Append([4, 5]);
        }
        string[] files = _folder.WalFiles(LogDir);
        Assert.Equal(3, files.Length);
        Assert.Equal(16 + big.Length, new FileInfo(files[1]).Length);

        using WriteAheadLog reopened = Open(LogDir, capacity: 256);
        var records = reopened.ReadFrom(1).ToList();
        Assert.Equal([1UL, 2UL, 3UL], records.Select(r => r.OpNum));
        Assert.Equal(big, records[1].Payload.ToArray());
        Assert.Equal(new byte[] { 4, 5 }, records[2].Payload.ToArray());
    }

    [Fact]
    public void Torn_tail_at_every_byte_of_the_last_record_drops_only_that_record()
    {
        const ulong count = 60;
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, count);
        }
        string lastFile = _folder.WalFiles(LogDir)[^1];
        long fileLength = new FileInfo(lastFile).Length;
        int lastRecordLength = 16 + PayloadFor(count).Length;
        Assert.True(lastRecordLength > 16);

        for (long cut = fileLength - lastRecordLength; cut < fileLength; cut++)
        {
            string copy = _folder.CopyOf(LogDir, "cut" + cut);
            string damaged = Path.Combine(copy, Path.GetFileName(lastFile));
            using (var stream = new FileStream(damaged, FileMode.Open)) stream.SetLength(cut);

            using (WriteAheadLog log = Open(copy))
            {
                Assert.Equal(count - 1, log.LastOpNum);
                Assert.Equal(count - 1, log.DurableOpNum);
                AssertRecords(log, 1, count - 1);
                Assert.Equal(fileLength - lastRecordLength, new FileInfo(damaged).Length);
                Assert.Equal(count, log.Append(PayloadFor(count))); // the number is reused for the next record
            }
            using (WriteAheadLog log = Open(copy))
            {
                AssertRecords(log, 1, count);
            }
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Flipped_byte_in_the_last_record_drops_that_record()
    {
        const ulong count = 40;
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, count);
        }
        string lastFile = _folder.WalFiles(LogDir)[^1];
        long fileLength = new FileInfo(lastFile).Length;
        int lastRecordLength = 16 + PayloadFor(count).Length;

        for (long position = fileLength - lastRecordLength; position < fileLength; position++)
        {
            string copy = _folder.CopyOf(LogDir, "flip" + position);
            string damaged = Path.Combine(copy, Path.GetFileName(lastFile));
            FlipByte(damaged, position);

            using (WriteAheadLog log = Open(copy))
            {
                Assert.Equal(count - 1, log.LastOpNum);
                AssertRecords(log, 1, count - 1);
            }
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void Flipped_byte_in_an_older_file_throws_corruption()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, 100);
        }
        string[] files = _folder.WalFiles(LogDir);
        Assert.True(files.Length >= 3);
        FlipByte(files[1], new FileInfo(files[1]).Length / 2);

        Assert.Throws<StorageCorruptedException>(() => Open(LogDir));
    }

    [Fact]
    public void Garbage_after_the_records_of_an_older_file_throws_corruption()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, 100);
        }
        string[] files = _folder.WalFiles(LogDir);
        File.AppendAllBytes(files[0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);

        Assert.Throws<StorageCorruptedException>(() => Open(LogDir));
    }

    [Fact]
    public void Missing_middle_file_throws_corruption()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, 100);
        }
        string[] files = _folder.WalFiles(LogDir);
        File.Delete(files[1]);

        Assert.Throws<StorageCorruptedException>(() => Open(LogDir));
    }

    [Fact]
    public void Zero_filled_space_after_the_records_is_the_end_of_the_log()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, 100);
        }
        // As left by preallocation, or by a crash after the size reached disk but not the data.
        foreach (string file in _folder.WalFiles(LogDir))
        {
            using var stream = new FileStream(file, FileMode.Open);
            stream.SetLength(stream.Length + 5000);
        }

        using (WriteAheadLog log = Open(LogDir))
        {
            Assert.Equal(100UL, log.LastOpNum);
            AssertRecords(log, 1, 100);
            AppendRange(log, 101, 120);
        }
        using WriteAheadLog reopened = Open(LogDir);
        AssertRecords(reopened, 1, 120);
    }

    [Fact]
    public void TruncateBefore_removes_whole_old_files_and_keeps_the_newest()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            AppendRange(log, 1, 200);
            log.Flush();
            int before = _folder.WalFiles(LogDir).Length;

            log.TruncateBefore(100);
            ulong first = log.FirstOpNum;
            Assert.True(first > 1 && first <= 100, $"first kept op {first}");
            Assert.True(_folder.WalFiles(LogDir).Length < before);
            Assert.Equal(WalFileName(first), Path.GetFileName(_folder.WalFiles(LogDir)[0]));
            AssertRecords(log, first, 200);

            log.TruncateBefore(ulong.MaxValue);
            string[] left = _folder.WalFiles(LogDir);
            Assert.Single(left);
            Assert.Equal(WalFileName(log.FirstOpNum), Path.GetFileName(left[0]));
            Assert.Equal(200UL, log.LastOpNum);
            Assert.Equal(200UL, log.ReadFrom(0).Last().OpNum);
            AppendRange(log, 201, 210);
        }
        using WriteAheadLog reopened = Open(LogDir);
        Assert.Equal(210UL, reopened.LastOpNum);
        AssertRecords(reopened, reopened.FirstOpNum, 210);
    }

    [Fact]
    public async Task Concurrent_appenders_get_unique_consecutive_op_numbers()
    {
        const int tasks = 8, perTask = 400;
        var assigned = new ulong[tasks][];
        CancellationToken ct = TestContext.Current.CancellationToken;
        using (WriteAheadLog log = Open(LogDir, capacity: 8192))
        {
            await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
            {
                assigned[t] = new ulong[perTask];
                for (int i = 0; i < perTask; i++)
                {
                    ulong op = log.Append(BitConverter.GetBytes(t * 100_000 + i));
                    assigned[t][i] = op;
                    if (i % 16 == 0) await log.WaitDurableAsync(op, ct);
                }
                await log.WaitDurableAsync(assigned[t][^1], ct);
            }, ct)));
            Assert.True(log.DurableOpNum >= tasks * perTask);
        }

        var all = assigned.SelectMany(a => a).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, tasks * perTask).Select(i => (ulong)i), all);
        foreach (ulong[] ops in assigned) Assert.True(ops.SequenceEqual(ops.Order()), "one caller's op numbers rise");

        using WriteAheadLog reopened = Open(LogDir, capacity: 8192);
        var expected = new Dictionary<ulong, int>();
        for (int t = 0; t < tasks; t++)
            for (int i = 0; i < perTask; i++) expected[assigned[t][i]] = t * 100_000 + i;
        int seen = 0;
        foreach (WalRecord record in reopened.ReadFrom(1))
        {
            Assert.Equal(expected[record.OpNum], BitConverter.ToInt32(record.Payload.Span));
            seen++;
        }
        Assert.Equal(tasks * perTask, seen);
    }

    [Fact]
    public void WaitDurable_after_Flush_completes_at_once()
    {
        using WriteAheadLog log = Open(LogDir);
        ulong op = 0;
        for (int i = 0; i < 50; i++) op = log.Append(PayloadFor((ulong)i + 1));
        log.Flush();
        Assert.Equal(op, log.DurableOpNum);
        Assert.True(log.WaitDurableAsync(op, TestContext.Current.CancellationToken).IsCompletedSuccessfully);
        log.WaitDurable(op);
    }

    [Fact]
    public void WaitDurableAsync_on_a_durable_op_does_not_allocate()
    {
        using WriteAheadLog log = Open(LogDir);
        ulong op = log.Append([1, 2, 3]);
        log.Flush();
        _ = log.WaitDurableAsync(op, CancellationToken.None); // JIT the path first
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            ValueTask wait = log.WaitDurableAsync(op, CancellationToken.None);
            Assert.True(wait.IsCompletedSuccessfully);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public async Task WaitDurableAsync_completes_when_the_flusher_catches_up()
    {
        using WriteAheadLog log = Open(LogDir);
        ulong last = 0;
        var waits = new List<Task>();
        for (int i = 0; i < 200; i++)
        {
            last = log.Append(PayloadFor((ulong)i + 1));
            waits.Add(log.WaitDurableAsync(last, TestContext.Current.CancellationToken).AsTask());
        }
        await Task.WhenAll(waits);
        Assert.True(log.DurableOpNum >= last);
    }

    [Fact]
    public async Task Flusher_failure_faults_the_waiters_instead_of_hanging()
    {
        using WriteAheadLog log = Open(LogDir);
        log.Append([1]);
        log.Flush();
        log.BeforeWriteForTest = () => throw new IOException("disk on fire");

        ulong op = log.Append([2]);
        IOException error = await Assert.ThrowsAsync<IOException>(
            async () => await log.WaitDurableAsync(op, TestContext.Current.CancellationToken));
        Assert.Equal("disk on fire", error.Message);
        Assert.Equal(1UL, log.DurableOpNum);
        Assert.Throws<IOException>(() => log.WaitDurable(op));
        Assert.Throws<IOException>(() => log.Append([3]));
    }

    [Fact]
    public void Append_after_Dispose_throws()
    {
        WriteAheadLog log = Open(LogDir);
        ulong op = log.Append([1, 2]);
        log.Dispose();
        Assert.Equal(op, log.DurableOpNum); // Dispose flushed
        Assert.Throws<ObjectDisposedException>(() => log.Append([3]));
        log.Dispose(); // twice is fine
    }

    [Fact]
    public void EnsureNextOpNumAtLeast_sets_where_an_empty_log_resumes()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            Assert.Equal(0UL, log.FirstOpNum);
            Assert.Equal(0UL, log.LastOpNum);
            log.EnsureNextOpNumAtLeast(500);
            Assert.Equal(0UL, log.FirstOpNum);
            Assert.Equal(499UL, log.LastOpNum);
            log.WaitDurable(499);
            Assert.Equal(500UL, log.Append([5]));
            Assert.Equal(500UL, log.FirstOpNum);
            log.EnsureNextOpNumAtLeast(10); // lower: no change
            Assert.Throws<InvalidOperationException>(() => log.EnsureNextOpNumAtLeast(1000));
            Assert.Equal(501UL, log.Append([6]));
        }
        Assert.Equal(WalFileName(500), Path.GetFileName(_folder.WalFiles(LogDir)[0]));
        using WriteAheadLog reopened = Open(LogDir);
        Assert.Equal(500UL, reopened.FirstOpNum);
        Assert.Equal(501UL, reopened.LastOpNum);
    }

    [Fact]
    public void EnsureNextOpNumAtLeast_replaces_an_empty_newest_file()
    {
        using (WriteAheadLog log = Open(LogDir))
        {
            log.Append([1, 2, 3]);
        }
        string only = _folder.WalFiles(LogDir).Single();
        using (var stream = new FileStream(only, FileMode.Open)) stream.SetLength(10); // the only record is torn

        using (WriteAheadLog log = Open(LogDir))
        {
            Assert.Equal(0UL, log.LastOpNum);
            Assert.Equal(0UL, log.FirstOpNum);
            log.EnsureNextOpNumAtLeast(42);
            Assert.Equal(42UL, log.Append([4]));
        }
        Assert.Equal([WalFileName(42)], _folder.WalFiles(LogDir).Select(Path.GetFileName));
        using WriteAheadLog reopened = Open(LogDir);
        Assert.Equal(42UL, reopened.ReadFrom(0).Single().OpNum);
    }

    [Fact]
    public async Task Not_durable_mode_keeps_records_in_memory_without_files()
    {
        using (WriteAheadLog log = Open(LogDir, capacity: 512, durable: false))
        {
            AppendRange(log, 1, 100);
            Assert.Equal(100UL, log.DurableOpNum);
            Assert.True(log.WaitDurableAsync(100, TestContext.Current.CancellationToken).IsCompletedSuccessfully);
            await log.WaitDurableAsync(50, TestContext.Current.CancellationToken);
            log.Flush();
            AssertRecords(log, 1, 100);
            AssertRecords(log, 70, 100);

            log.TruncateBefore(60);
            Assert.True(log.FirstOpNum > 1 && log.FirstOpNum <= 60);
            AssertRecords(log, log.FirstOpNum, 100);
            log.TruncateBefore(ulong.MaxValue);
            Assert.Equal(100UL, log.ReadFrom(0).Last().OpNum);
        }
        Assert.False(Directory.Exists(LogDir));
    }

    private static string WalFileName(ulong firstOpNum) => firstOpNum.ToString("D20", System.Globalization.CultureInfo.InvariantCulture) + ".wal";

    private static void FlipByte(string path, long position)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        stream.Position = position;
        int value = stream.ReadByte();
        stream.Position = position;
        stream.WriteByte((byte)(value ^ 0xFF));
    }
}
