using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Grape.Core.Tests.Durability;

/// <summary>
/// One run of the Grape.CrashHost child process: starts it, collects its complete stdout lines as they arrive, and
/// kills it with SIGKILL. A line cut off by the kill (no trailing newline) is dropped: it was never fully reported.
/// </summary>
internal sealed class CrashHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstAck = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _stdoutReader;
    private readonly Task _stderrReader;

    private CrashHostProcess(Process process)
    {
        _process = process;
        _stdoutReader = Task.Run(ReadStdoutAsync);
        _stderrReader = Task.Run(ReadStderrAsync);
    }

    /// <summary>Where the host was built: next to this test assembly's output, same configuration and framework
    /// (tests/Grape.Core.Tests/bin/&lt;cfg&gt;/&lt;tfm&gt;/ → tests/Grape.CrashHost/bin/&lt;cfg&gt;/&lt;tfm&gt;/).</summary>
    public static string HostDll
    {
        get
        {
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            string tfm = baseDir.Name, configuration = baseDir.Parent!.Name;
            var testsDir = baseDir.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(testsDir, "Grape.CrashHost", "bin", configuration, tfm, "Grape.CrashHost.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException($"Grape.CrashHost is not built at {dll}; build Grape.slnx first", dll);
            return dll;
        }
    }

    /// <summary>The dotnet muxer running this test if known (so the child uses the same runtime), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    public static CrashHostProcess Start(string storageDir, int seed, ulong startId)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add(HostDll);
        info.ArgumentList.Add(storageDir);
        info.ArgumentList.Add(seed.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(startId.ToString(CultureInfo.InvariantCulture));
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return new CrashHostProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>Completes when the host has opened the database (faults if it exits first).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Completes when the host reported its first acknowledged write.</summary>
    public Task FirstAck => _firstAck.Task;

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Waits for <paramref name="task"/> or fails with the host's stderr after <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(Task task, TimeSpan timeout, string what)
    {
        try { await task.WaitAsync(timeout); }
        catch (TimeoutException) { throw new TimeoutException($"crash host: no {what} after {timeout.TotalSeconds} s; stderr:\n{Stderr}"); }
        catch (InvalidOperationException)
        {
            await _process.WaitForExitAsync();
            await _stderrReader;
            throw new InvalidOperationException($"crash host exited with code {_process.ExitCode} before its {what}; stderr:\n{Stderr}");
        }
    }

    /// <summary>SIGKILLs the host (if still running) and returns every complete line it printed.</summary>
    public async Task<IReadOnlyList<string>> KillAsync()
    {
        bool exitedOnItsOwn = _process.HasExited;
        if (!exitedOnItsOwn) _process.Kill(entireProcessTree: false); // SIGKILL on Unix: no finalizers, no flush, no close
        await _process.WaitForExitAsync();
        await Task.WhenAll(_stdoutReader, _stderrReader);
        if (exitedOnItsOwn) throw new InvalidOperationException($"crash host exited by itself with code {_process.ExitCode}; stderr:\n{Stderr}");
        lock (_lines) return [.. _lines];
    }

    private async Task ReadStdoutAsync()
    {
        var reader = _process.StandardOutput;
        var buffer = new char[4096];
        var partial = new StringBuilder();
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] != '\n') { partial.Append(buffer[i]); continue; }
                var line = partial.ToString();
                partial.Clear();
                lock (_lines) _lines.Add(line);
                if (line == "READY") _ready.TrySetResult();
                else if (line.StartsWith("ACK ", StringComparison.Ordinal)) _firstAck.TrySetResult();
            }
        }
        // EOF: any text in `partial` is a line the kill cut short; it is not reported.
        var ended = new InvalidOperationException("crash host ended before the event");
        _ready.TrySetException(ended);
        _firstAck.TrySetException(ended);
        _ = _ready.Task.Exception; // observed: a run killed before its first ack is normal
        _ = _firstAck.Task.Exception;
    }

    private async Task ReadStderrAsync()
    {
        var buffer = new char[4096];
        int n;
        while ((n = await _process.StandardError.ReadAsync(buffer)) > 0)
            lock (_stderr) _stderr.Append(buffer, 0, n);
    }

    public void Dispose()
    {
        try { if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(); } }
        catch (InvalidOperationException) { } // never started or already reaped
        _process.Dispose();
    }
}
