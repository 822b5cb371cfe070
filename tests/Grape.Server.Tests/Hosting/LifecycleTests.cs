using System.Net;
using Grape.Core.Embedded;
using Grape.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grape.Server.Tests.Hosting;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Stopping_the_host_closes_the_database_gracefully()
    {
        string folder = Path.Combine(Path.GetTempPath(), "grape-life-" + Guid.NewGuid().ToString("N"));
        try
        {
            var app = GrapeServer.Build(new ServerSettings { StoragePath = folder, CloseTimeout = TimeSpan.FromSeconds(5) }, b =>
            {
                b.WebHost.UseTestServer();
                b.Logging.ClearProviders();
            });
            await app.StartAsync(TestContext.Current.CancellationToken);
            var db = await app.Services.GetRequiredService<DatabaseHost>().WhenOpen.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal(GrapeState.Running, db.State);
            await app.StopAsync(TestContext.Current.CancellationToken);
            Assert.Equal(GrapeState.Stopped, db.State);
            await app.DisposeAsync();
            // The folder is released: a new database opens it.
            await using var again = await GrapeDatabase.OpenAsync(new GrapeOptions(folder), TestContext.Current.CancellationToken);
            Assert.Equal(GrapeState.Running, again.State);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Once_the_database_is_closed_requests_get_503_and_readyz_fails()
    {
        await using var s = await GrapeTestServer.StartAsync();
        (await s.GetAsync("/collections")).AssertOk();
        var host = (DatabaseHost)s.Services.GetRequiredService(typeof(DatabaseHost));
        await host.Database.CloseAsync();
        (await s.GetAsync("/collections")).AssertError(HttpStatusCode.ServiceUnavailable, "closed");
        var ready = await s.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
        Assert.Equal("some shards are not ready", ready.Body);
        Assert.Equal(HttpStatusCode.OK, (await s.GetAsync("/livez")).Status);
        var metrics = await s.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Contains("rest_responses_total", metrics.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_server_on_the_same_storage_does_not_pretend_to_be_ready()
    {
        await using var first = await GrapeTestServer.StartAsync();
        var app = GrapeServer.Build(new ServerSettings { StoragePath = first.Folder }, b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.ClearProviders();
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var host = app.Services.GetRequiredService<DatabaseHost>();
        await Assert.ThrowsAnyAsync<Exception>(() => host.WhenOpen.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.False(host.IsReady);
        Assert.Contains("storage failed to open", Assert.Throws<Grape.Server.Errors.ServiceNotReadyException>(() => host.Database).Message, StringComparison.Ordinal);
        await app.StopAsync(TestContext.Current.CancellationToken);
        await app.DisposeAsync();
        Environment.ExitCode = 0; // the failed open set it for the real process; not this test run's concern
    }
}
