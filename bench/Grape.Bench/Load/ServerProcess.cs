using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Grape.Bench.Load;

/// <summary>
/// A Grape server in its own process on free loopback ports with a storage folder of its own, started the way a user
/// starts it (<c>dotnet Grape.Server.dll --storage-path … --http-port … --grpc-port …</c>) and ready once
/// <c>/readyz</c> answers 200. Disposing stops it (SIGTERM, then kill after a grace period) and deletes the folder.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _storage;

    private ServerProcess(Process process, string storage, int httpPort, int grpcPort)
    {
        _process = process;
        _storage = storage;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
    }

    public int HttpPort { get; }
    public int GrpcPort { get; }
    public Uri HttpBase => new($"http://127.0.0.1:{HttpPort}");
    public Uri GrpcBase => new($"http://127.0.0.1:{GrpcPort}");
    public int Pid => _process.Id;

    /// <summary>CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(string serverDll, CancellationToken ct)
    {
        if (!File.Exists(serverDll)) throw new FileNotFoundException($"the server is not built: {serverDll} (run `dotnet build -c Release src/Grape.Server`)");
        string storage = Path.Combine(Path.GetTempPath(), "grape-load-server-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(storage);
        int http = FreePort(), grpc = FreePort();
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { serverDll, "--storage-path", storage, "--http-port", http.ToString(), "--grpc-port", grpc.ToString() })
            psi.ArgumentList.Add(a);
        psi.Environment["GRAPE__LOG_LEVEL"] = "WARN";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        // Drain its output so a chatty server never blocks on a full pipe.
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("[server] " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, storage, http, grpc);
        using var client = new HttpClient { BaseAddress = server.HttpBase, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the server exited with code {process.ExitCode} before it was ready");
            try
            {
                using var r = await client.GetAsync("/readyz", ct);
                if (r.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
            await Task.Delay(100, ct);
        }
        await server.DisposeAsync();
        throw new TimeoutException("the server did not answer /readyz within 60 s");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM: the server closes the engine gracefully.
                using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try { await _process.WaitForExitAsync(grace.Token); }
                catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
            }
        }
        finally
        {
            _process.Dispose();
            if (Directory.Exists(_storage)) Directory.Delete(_storage, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
