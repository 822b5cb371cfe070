using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Grape.Bench.Load;

/// <summary>
/// REST load from a second process: Debian's <c>wrk</c> (C, epoll) with a Lua script that cycles through prepared
/// request bodies and prints its summary as one JSON line, so the load generator costs the shared cores as little as
/// possible and its numbers do not depend on .NET's HTTP client.
/// </summary>
internal static class Wrk
{
    public sealed record Summary(long Requests, double Seconds, long Errors, long Non2xx, double P50Ms, double P99Ms, double MeanMs)
    {
        public double PerSecond => Requests / Seconds;
    }

    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            string path = Path.Combine(dir, "wrk");
            if (dir.Length > 0 && File.Exists(path)) return path;
        }
        return null;
    }

    public static async Task<Summary> PostAsync(string wrk, Uri server, string path, IReadOnlyList<string> bodies, int connections, int threads, TimeSpan duration)
    {
        string script = Path.Combine(Path.GetTempPath(), $"grape-wrk-{Guid.NewGuid():N}.lua");
        try
        {
            await File.WriteAllTextAsync(script, Script(path, bodies));
            var psi = new ProcessStartInfo(wrk) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                         "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s", "--timeout", "10s", "-s", script, server.ToString().TrimEnd('/') })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start wrk");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            string output = await stdout;
            if (p.ExitCode != 0) throw new InvalidOperationException($"wrk exited with {p.ExitCode}: {await stderr}{output}");
            foreach (var line in output.Split('\n'))
            {
                if (!line.StartsWith("WRK ", StringComparison.Ordinal)) continue;
                using var doc = JsonDocument.Parse(line[4..]);
                var r = doc.RootElement;
                return new Summary(
                    r.GetProperty("requests").GetInt64(),
                    r.GetProperty("duration_us").GetDouble() / 1e6,
                    r.GetProperty("errors").GetInt64(),
                    r.GetProperty("non2xx").GetInt64(),
                    r.GetProperty("p50_us").GetDouble() / 1000,
                    r.GetProperty("p99_us").GetDouble() / 1000,
                    r.GetProperty("mean_us").GetDouble() / 1000);
            }
            throw new InvalidOperationException("wrk printed no summary:\n" + output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string Script(string path, IReadOnlyList<string> bodies)
    {
        var sb = new StringBuilder();
        sb.Append("local bodies = {\n");
        foreach (var b in bodies) sb.Append("[==[").Append(b).Append("]==],\n");
        sb.Append("}\n");
        sb.Append($$"""
            local i = 0
            local requests = {}
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            -- Each request's bytes are formatted once per thread, not per request: the client shares the cores
            -- with the server, so it should cost as little as possible.
            init = function(args)
              for k, body in ipairs(bodies) do requests[k] = wrk.format(nil, "{{path}}", nil, body) end
            end
            request = function()
              i = i + 1
              if i > #requests then i = 1 end
              return requests[i]
            end
            done = function(summary, latency, requests)
              local e = summary.errors
              io.write(string.format('WRK {"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d,"mean_us":%f}\n',
                summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
                latency:percentile(50), latency:percentile(99), latency.mean))
            end

            """);
        return sb.ToString();
    }
}
