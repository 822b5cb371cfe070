using System.Runtime.InteropServices;

namespace Grape.Bench.Workloads;

/// <summary>
/// The calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID): time spent on a core, not time spent waiting for one, so a
/// per-operation figure that the machine's other load moves much less than wall time (cache sharing still shows).
/// </summary>
internal static unsafe class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>Nanoseconds of CPU used by this thread so far; 0 where the clock is unavailable.</summary>
    public static long Nanoseconds()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        TimeSpec t;
        return ClockGetTime(ClockThreadCpuTime, &t) == 0 ? (t.Seconds * 1_000_000_000L) + t.Nanoseconds : 0;
    }

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, TimeSpec* time);
}
