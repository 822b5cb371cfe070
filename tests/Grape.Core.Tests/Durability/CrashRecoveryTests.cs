using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.CrashHost;

namespace Grape.Core.Tests.Durability;

/// <summary>
/// Durability against SIGKILL: a child process (Grape.CrashHost) writes with wait=true and reports each acknowledged
/// call; it is killed at a random moment and the folder is reopened here and compared with what was acknowledged.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "grape-crash-" + Guid.NewGuid().ToString("N"));
    private readonly int _seed = Random.Shared.Next();
    private readonly CrashModel _model = new();

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public async Task Acknowledged_writes_survive_repeated_kills_and_recoveries()
    {
        var rng = new Random(_seed);
        const int rounds = 5;
        for (int round = 0; round < rounds; round++)
        {
            using var host = CrashHostProcess.Start(_dir, _seed + round, _model.NextId);
            if (round == 2)
            {
                // Kill at a moment not tied to READY: during start-up, while it opens (replays) the folder, or while it writes.
                await Task.Delay(rng.Next(100, 1200), TestContext.Current.CancellationToken);
            }
            else
            {
                await host.WaitAsync(host.Ready, StartTimeout, "READY");
                if (round == 0)
                {
                    // The child owns the folder: an open here must be refused, not share it.
                    Assert.Throws<StorageLockedException>(() => GrapeDatabase.Open(_dir));
                }
                await Task.Delay(rng.Next(200, 1500), TestContext.Current.CancellationToken);
            }
            var lines = await host.KillAsync();
            var (ops, acked) = CrashModel.Parse(lines);
            VerifyRound(ops, acked, lossAllowed: 0, $"round {round}");
        }
        Assert.True(_model.TotalAcknowledged > 0, $"seed {_seed}: the host never got a write acknowledged; the test checked nothing");
        Assert.True(_model.LivePoints > 0);
    }

    [Theory]
    [InlineData(WalTailDamage.GarbageAppended)]
    [InlineData(WalTailDamage.TailZeroed)]
    [InlineData(WalTailDamage.TailTruncated)]
    public async Task A_torn_wal_tail_is_dropped_and_the_log_continues(WalTailDamage damage)
    {
        var rng = new Random(_seed);
        using (var host = CrashHostProcess.Start(_dir, _seed, _model.NextId))
        {
            await host.WaitAsync(host.FirstAck, StartTimeout, "acknowledged write");
            await Task.Delay(rng.Next(100, 600), TestContext.Current.CancellationToken);
            var lines = await host.KillAsync();
            var (ops, acked) = CrashModel.Parse(lines);
            var file = WalTail.Damage(_dir, damage, rng);
            // Garbage after the last record hurts no record; a cut inside the last record loses that one operation
            // (acknowledged or not), and nothing before it.
            VerifyRound(ops, acked, damage == WalTailDamage.GarbageAppended ? 0 : 1, $"{damage} of {Path.GetFileName(file)}");
        }
        // Writes after the repaired tail must be readable at the next open (the cut really ended the log there).
        using (var host = CrashHostProcess.Start(_dir, _seed + 1, _model.NextId))
        {
            await host.WaitAsync(host.FirstAck, StartTimeout, "acknowledged write after repair");
            await Task.Delay(rng.Next(100, 400), TestContext.Current.CancellationToken);
            var lines = await host.KillAsync();
            var (ops, acked) = CrashModel.Parse(lines);
            Assert.True(acked > 0);
            VerifyRound(ops, acked, lossAllowed: 0, $"after {damage}, next run");
        }
    }

    [Fact]
    public void A_second_open_of_the_same_folder_is_refused()
    {
        using (var first = GrapeDatabase.Open(_dir))
        {
            var e = Assert.Throws<StorageLockedException>(() => GrapeDatabase.Open(_dir));
            Assert.Contains(Path.GetFileName(_dir), e.Message, StringComparison.Ordinal);
            // The refused open left the owner working.
            Assert.True(first.CreateCollection("still-mine", Grape.Core.Collections.CreateCollectionRequest.Single(4, Grape.Core.Collections.Distance.Dot)));
        }
        using var again = GrapeDatabase.Open(_dir); // released on close
        Assert.True(again.CollectionExists("still-mine"));
    }

    private void VerifyRound(List<CrashOp> ops, int acked, int lossAllowed, string context)
    {
        var db = GrapeDatabase.Open(_dir);
        try
        {
            if (!db.CollectionExists(CrashData.Collection))
            {
                // Only possible when the first run died before creating it.
                Assert.Empty(ops);
                return;
            }
            int p = _model.VerifyAndAdopt(db, ops, acked, lossAllowed, $"seed {_seed}, {context}");
            output.WriteLine($"seed {_seed}, {context}: {acked} of {ops.Count} writes acknowledged, state after {p} recovered; {_model.LivePoints} points live");
        }
        finally
        {
            Assert.True(db.Close(TimeSpan.FromSeconds(30)));
        }
    }
}
