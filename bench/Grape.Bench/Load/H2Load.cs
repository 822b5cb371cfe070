using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Grape.Bench.Load;

/// <summary>
/// gRPC load from a second process: nghttp2's <c>h2load</c> (C) posting one pre-framed gRPC message over one HTTP/2
/// connection with N concurrent streams, the counterpart of <see cref="Wrk"/> for REST so both protocols are driven by
/// a native client of similar cost. h2load reports throughput and mean latency but not percentiles; the percentiles
/// come from the .NET client run.
/// </summary>
internal static partial class H2Load
{
    public sealed record Summary(long Succeeded, long Failed, double Seconds, double MeanMs)
    {
        public double PerSecond => Succeeded / Seconds;
    }

    public static string? Find() => File.Exists("/usr/bin/h2load") ? "/usr/bin/h2load" : null;

    /// <summary>Calls <paramref name="method"/> (e.g. <c>/qdrant.Points/Search</c>) with <paramref name="message"/> (serialized protobuf) for <paramref name="duration"/>.</summary>
    public static async Task<Summary> CallAsync(string h2load, Uri server, string method, byte[] message, int streams, TimeSpan duration)
    {
        string data = Path.Combine(Path.GetTempPath(), $"grape-h2load-{Guid.NewGuid():N}.bin");
        try
        {
            // gRPC length-prefixed message: compressed flag, big-endian length, bytes.
            var framed = new byte[5 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
            message.CopyTo(framed, 5);
            await File.WriteAllBytesAsync(data, framed);
            var psi = new ProcessStartInfo(h2load) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-c", "1", "-t", "1", "-m", streams.ToString(CultureInfo.InvariantCulture),
                         "-D", ((int)Math.Ceiling(duration.TotalSeconds)).ToString(CultureInfo.InvariantCulture), "-d", data,
                         "-H", "content-type: application/grpc", "-H", "te: trailers", new Uri(server, method).ToString() })
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start h2load");
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            string output = await stdout;
            if (p.ExitCode != 0) throw new InvalidOperationException($"h2load exited with {p.ExitCode}: {await stderr}{output}");
            var finished = Finished().Match(output);
            var requests = Requests().Match(output);
            var mean = RequestTime().Match(output);
            if (!finished.Success || !requests.Success) throw new InvalidOperationException("h2load printed no summary:\n" + output);
            return new Summary(
                long.Parse(requests.Groups["ok"].Value, CultureInfo.InvariantCulture),
                long.Parse(requests.Groups["failed"].Value, CultureInfo.InvariantCulture) + long.Parse(requests.Groups["errored"].Value, CultureInfo.InvariantCulture),
                double.Parse(finished.Groups["s"].Value, CultureInfo.InvariantCulture),
                mean.Success ? Millis(mean.Groups["mean"].Value) : double.NaN);
        }
        finally
        {
            File.Delete(data);
        }
    }

    private static double Millis(string value)
    {
        var m = Duration().Match(value);
        double v = double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture);
        return m.Groups["u"].Value switch { "us" => v / 1000, "ms" => v, "s" => v * 1000, _ => double.NaN };
    }

    [GeneratedRegex(@"finished in (?<s>[0-9.]+)s")]
    private static partial Regex Finished();

    [GeneratedRegex(@"requests: \d+ total, \d+ started, \d+ done, (?<ok>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored")]
    private static partial Regex Requests();

    [GeneratedRegex(@"time for request:\s+\S+\s+\S+\s+(?<mean>\S+)")]
    private static partial Regex RequestTime();

    [GeneratedRegex(@"^(?<v>[0-9.]+)(?<u>us|ms|s)$")]
    private static partial Regex Duration();
}
