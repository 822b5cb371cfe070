using System.Runtime.InteropServices;

namespace Grape.Server.Hosting;

/// <summary>
/// On Linux, moves .NET's socket event threads (named <c>.NET Sockets</c>: each waits in <c>epoll_wait</c> and hands
/// ready sockets to the thread pool) to the <c>SCHED_BATCH</c> policy. The policy changes one thing: a batch thread
/// that wakes up does not preempt the thread running on that core. It still gets its fair share of the CPU, and
/// runs at once on an idle core.
/// <para>
/// Why: under load the event thread wakes for about every second request. Under the default policy each wake-up
/// preempted a worker in the middle of a search, which then went on with part of its working set evicted. As a batch
/// thread it runs when a worker finishes or yields, and then dispatches every socket that became ready meanwhile.
/// Measured on 2 cores, wrk with 16 connections on a 20,000-point collection, two servers at a time with runs taken
/// in ABBA order: 9 of 10 pairs faster, median +4 to +6 % requests/s (both assignments of the two servers).
/// Making every server thread a batch thread gave nothing more.
/// </para>
/// </summary>
internal static partial class SocketThreadScheduling
{
    private const string EventThreadName = ".NET Sockets";
    private const int SchedBatch = 3;

    /// <summary>Applies the policy to every socket event thread that exists now; returns how many were changed.
    /// .NET starts its event threads with the first asynchronous socket operation (Kestrel's accept loop), so call
    /// this once the server listens. A thread the kernel refuses (a seccomp filter, say) keeps its policy.</summary>
    public static int Apply()
    {
        int changed = 0;
        foreach (int tid in EventThreads())
        {
            var param = default(SchedParam);
            if (SchedSetScheduler(tid, SchedBatch, ref param) == 0) changed++;
        }
        return changed;
    }

    /// <summary>The scheduling policy of thread <paramref name="tid"/> (3 is <c>SCHED_BATCH</c>), or -1.</summary>
    internal static int PolicyOf(int tid) => OperatingSystem.IsLinux() ? SchedGetScheduler(tid) : -1;

    /// <summary>The ids of this process's socket event threads.</summary>
    internal static List<int> EventThreads()
    {
        var ids = new List<int>();
        if (!OperatingSystem.IsLinux()) return ids;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            if (int.TryParse(Path.GetFileName(task), out int tid) && ThreadName(task) == EventThreadName) ids.Add(tid);
        return ids;
    }

    private static string? ThreadName(string task)
    {
        try { return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n'); }
        catch (IOException) { return null; } // the thread exited meanwhile
        catch (UnauthorizedAccessException) { return null; }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SchedSetScheduler(int tid, int policy, ref SchedParam param);

    [LibraryImport("libc", EntryPoint = "sched_getscheduler")]
    private static partial int SchedGetScheduler(int tid);
}
