using System.Net;
using Grape.Server.Hosting;
using Grape.Server.Tests.Grpc;

namespace Grape.Server.Tests.Hosting;

public sealed class SocketThreadSchedulingTests
{
    private const int SchedOther = 0, SchedBatch = 3;

    /// <summary>Once the real server listens, every socket event thread of the process is a batch thread (it no longer
    /// preempts a running worker when it wakes), the main thread keeps the default policy, and requests are served.</summary>
    [Fact]
    public async Task Once_the_server_listens_its_socket_event_threads_are_batch_threads()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "scheduling policies are Linux's");
        await using var server = await GrpcTestServer.StartAsync();

        var eventThreads = SocketThreadScheduling.EventThreads();
        Assert.NotEmpty(eventThreads);
        foreach (int tid in eventThreads) Assert.Equal(SchedBatch, SocketThreadScheduling.PolicyOf(tid));
        Assert.Equal(SchedOther, SocketThreadScheduling.PolicyOf(Environment.ProcessId));

        using var r = await server.Rest.GetAsync("/collections", GrpcTestServer.Ct);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal(eventThreads.Count, SocketThreadScheduling.Apply()); // applying again changes the same threads, no error
    }
}
