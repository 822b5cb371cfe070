using Grape.Core.Collections;
using Grape.Core.Embedded;
using Grape.Core.Errors;
using Grape.Core.Points;
using Grape.Core.Tests.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grape.Core.Tests.Embedded;

public class GrapeDatabaseLifecycleTests
{
    [Fact]
    public async Task Hooks_run_in_order_and_states_follow()
    {
        var events = new List<string>();
        var hooks = new GrapeLifecycleHooks
        {
            Starting = _ => { events.Add("starting"); return ValueTask.CompletedTask; },
            Started = (db, _) => { events.Add("started:" + db.State); return ValueTask.CompletedTask; },
            Stopping = (db, _) => { events.Add("stopping:" + db.State); return ValueTask.CompletedTask; },
            Stopped = _ => { events.Add("stopped"); return ValueTask.CompletedTask; },
        };
        var db = await GrapeDatabase.OpenAsync(GrapeOptions.InMemory() with { Hooks = hooks });
        Assert.Equal(GrapeState.Running, db.State);
        Assert.True(await db.CloseAsync());
        Assert.Equal(GrapeState.Stopped, db.State);
        Assert.Equal(["starting", "started:Running", "stopping:Stopping", "stopped"], events);
        Assert.Throws<GrapeClosedException>(() => db.ListCollections());
        Assert.True(await db.CloseAsync()); // idempotent
    }

    [Fact]
    public async Task Close_waits_for_operations_in_flight_then_refuses_new_calls()
    {
        using var dir = new TempDir();
        var db = await GrapeDatabase.OpenAsync(new GrapeOptions(dir.Path) { EnableOptimizer = false });
        await db.CreateCollectionAsync("c", CreateCollectionRequest.Single(4, Distance.Dot));
        var points = Enumerable.Range(0, 2000).Select(i => new PointStruct((ulong)i, [i, 1, 2, 3])).ToList();
        var writes = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try { await db.UpsertAsync("c", points, WriteOptions.WaitForDurable); return true; }
            catch (GrapeClosedException) { return false; }
        })).ToArray();
        await Task.Delay(5);
        bool drained = await db.CloseAsync(TimeSpan.FromSeconds(30));
        Assert.True(drained);
        Assert.Equal(0, db.OperationsInFlight);
        var outcomes = await Task.WhenAll(writes);
        await Assert.ThrowsAsync<GrapeClosedException>(async () => await db.UpsertAsync("c", points));
        // Whatever was acknowledged before the close is on disk.
        await using var again = await GrapeDatabase.OpenAsync(new GrapeOptions(dir.Path));
        Assert.Equal(outcomes.Any(ok => ok) ? 2000 : 0, await again.CountAsync("c"));
    }

    [Fact]
    public void A_second_open_of_the_same_folder_is_refused()
    {
        using var dir = new TempDir();
        using var first = GrapeDatabase.Open(dir.Path);
        Assert.Throws<StorageLockedException>(() => GrapeDatabase.Open(dir.Path));
        first.Close();
        using var second = GrapeDatabase.Open(dir.Path); // released by close
        Assert.Equal(GrapeState.Running, second.State);
    }

    [Fact]
    public async Task Health_check_and_dependency_injection()
    {
        using var dir = new TempDir();
        var services = new ServiceCollection();
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        services.AddHealthChecks().AddCheck<GrapeHealthCheck>("grape");
        services.AddGrape(new GrapeOptions(dir.Path));
        await using var sp = services.BuildServiceProvider();
        var db = sp.GetRequiredService<GrapeDatabase>();
        db.CreateCollection("c", CreateCollectionRequest.Single(2, Distance.Dot));
        var report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("Running", report.Entries["grape"].Data["state"]);
        await db.CloseAsync();
        report = await sp.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    [Fact]
    public void In_memory_database_keeps_nothing_after_close()
    {
        var db = GrapeDatabase.Open(GrapeOptions.InMemory());
        db.CreateCollection("c", CreateCollectionRequest.Single(2, Distance.Dot));
        db.Upsert("c", [new PointStruct(1, [1f, 2])], WriteOptions.WaitForDurable);
        Assert.Equal(1, db.Count("c"));
        db.Close();
        using var other = GrapeDatabase.Open(GrapeOptions.InMemory());
        Assert.Empty(other.ListCollections());
    }
}
