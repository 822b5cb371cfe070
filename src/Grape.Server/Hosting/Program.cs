using System.Collections;

namespace Grape.Server.Hosting;

/// <summary>
/// <c>dotnet run --project src/Grape.Server -- --storage-path DIR --http-port P --grpc-port Q [--config-path FILE]</c>.
/// A bad configuration exits with code 2 and a message naming the key; SIGTERM / Ctrl+C close storage gracefully.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ServerSettings settings;
        try
        {
            settings = ConfigLoader.Load(args, EnvironmentVariables());
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync($"grape: configuration error: {e.Message}").ConfigureAwait(false);
            return 2;
        }
        var app = GrapeServer.Build(settings);
        await app.RunAsync().ConfigureAwait(false);
        return Environment.ExitCode;
    }

    private static Dictionary<string, string?> EnvironmentVariables()
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = e.Value as string;
        return env;
    }
}
