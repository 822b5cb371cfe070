using System.Text.Json.Nodes;

namespace Grape.Bench.Ann;

/// <summary>
/// Appends records in the peers' JSON-lines schema (shared/bench/ann/README.md) to the results file and echoes them on
/// stdout; each line is flushed at once so a cut-off run keeps what it measured.
/// </summary>
internal sealed class AnnResults(string path, string runId) : IDisposable
{
    private readonly StreamWriter _file = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));

    public string RunId { get; } = runId;

    public void Write(JsonObject record)
    {
        record["run_id"] = RunId;
        var line = record.ToJsonString();
        _file.WriteLine(line);
        _file.Flush();
        Console.Out.WriteLine(line);
        Console.Out.Flush();
    }

    public static void Note(string text) => Console.Error.WriteLine("[ann] " + text);

    public void Dispose() => _file.Dispose();
}
