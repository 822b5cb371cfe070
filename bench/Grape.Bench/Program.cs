namespace Grape.Bench;

/// <summary>Entry point: <c>micro</c> runs BenchmarkDotNet; the other commands run whole workloads and print JSON lines.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: Grape.Bench <micro|storage|ann|...> [options]");
            return 2;
        }
        switch (args[0])
        {
            case "micro":
                BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
                return 0;
            case "payload-store":
                return Workloads.PayloadStoreWorkload.Run(args[1..]);
            default:
                Console.Error.WriteLine($"unknown command `{args[0]}`");
                return 2;
        }
    }
}
