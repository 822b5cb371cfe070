using System.Text.Json.Nodes;

namespace Grape.Bench.Workloads;

/// <summary>Prints result lines <c>{"bench":..,"metric":..,"value":..,"unit":..,...parameters}</c> on stdout.</summary>
internal sealed class JsonLines(string bench, IReadOnlyList<KeyValuePair<string, JsonNode?>> parameters)
{
    public void Emit(string metric, double value, string unit, params (string Key, JsonNode? Value)[] extra)
    {
        var line = new JsonObject
        {
            ["bench"] = bench,
            ["metric"] = metric,
            ["value"] = Math.Round(value, value >= 10 ? 1 : 6),
            ["unit"] = unit,
        };
        foreach (var (k, v) in parameters) line[k] = v?.DeepClone();
        foreach (var (k, v) in extra) line[k] = v?.DeepClone(); // a node has one parent; callers reuse theirs across lines
        Console.Out.WriteLine(line.ToJsonString());
        Console.Out.Flush();
    }

    /// <summary>Progress and notes go to stderr so stdout stays machine-readable.</summary>
    public static void Note(string text) => Console.Error.WriteLine("[bench] " + text);
}
