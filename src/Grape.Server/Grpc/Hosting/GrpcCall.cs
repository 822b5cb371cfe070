using System.Diagnostics;
using Grape.Core.Embedded;
using Grape.Server.Grpc.Mapping;
using Grape.Server.Hosting;
using Grpc.Core;

namespace Grape.Server.Grpc.Hosting;

/// <summary>
/// One RPC's view of the engine: the open database, a cancellation token that also fires after the request's
/// <c>timeout</c> seconds (so the error interceptor can tell a timeout from a client that left), and the elapsed
/// seconds for the responses' <c>time</c> field.
/// </summary>
internal sealed class GrpcCall : IDisposable
{
    private readonly CancellationTokenSource? _timeout;
    private readonly long _started = Stopwatch.GetTimestamp();

    private GrpcCall(GrapeDatabase db, CancellationToken token, CancellationTokenSource? timeout)
    {
        Db = db;
        Token = token;
        _timeout = timeout;
    }

    public GrapeDatabase Db { get; }
    public CancellationToken Token { get; }
    public double Seconds => Stopwatch.GetElapsedTime(_started).TotalSeconds;

    public static GrpcCall Start(DatabaseHost host, ServerCallContext context, bool hasTimeout = false, ulong timeoutSeconds = 0)
    {
        if (!hasTimeout) return new GrpcCall(host.Database, context.CancellationToken, null);
        if (timeoutSeconds < 1) throw GrpcInput.Invalid($"timeout: value {timeoutSeconds} invalid, must be 1 or more");
        var cts = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(Math.Min(timeoutSeconds, int.MaxValue / 1000)));
        try { return new GrpcCall(host.Database, cts.Token, cts); }
        catch { cts.Dispose(); throw; }
    }

    public void Dispose() => _timeout?.Dispose();
}
