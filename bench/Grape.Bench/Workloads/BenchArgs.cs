using System.Globalization;

namespace Grape.Bench.Workloads;

/// <summary><c>--name value</c> and <c>--flag</c> options of a workload command.</summary>
internal sealed class BenchArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public BenchArgs(ReadOnlySpan<string> args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2) throw new ArgumentException($"unexpected argument `{a}`");
            string name = a[2..];
            string? value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            _options[name] = value;
        }
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v ?? throw new ArgumentException($"--{name} needs a value") : null;
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        return _options.ContainsKey(name);
    }

    public int Int(string name, int fallback) => String(name) is { } s ? int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) => String(name) is { } s ? double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Fails on options no workload asked for (a typo would otherwise silently run the defaults).</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
