using Grape.Core.Storage.Segments;
using static Grape.Core.Tests.Storage.Segments.SegmentTestKit;

namespace Grape.Core.Tests.Storage.Segments;

/// <summary>
/// Leak checks that count the whole process's file descriptors and memory mappings, so nothing else may open or close
/// files meanwhile: the collection runs alone, after the parallel ones (counted beside other tests, the descriptor
/// count once rose by 12 with no leak; a leak here would show as ~1,000).
/// </summary>
[CollectionDefinition(nameof(ProcessWideCounts), DisableParallelization = true)]
public sealed class ProcessWideCounts;

[Collection(nameof(ProcessWideCounts))]
public class SegmentLeakTests
{
    [Fact]
    public void Opening_and_closing_many_times_leaks_no_handles_or_mappings()
    {
        using var temp = new TempFolder();
        string dir = temp.Sub("seg");
        CreateFlushed(dir, points: 100);
        for (int i = 0; i < 20; i++) Segment.Open(dir, Tiny).Dispose(); // warm up lazily created runtime handles
        int fdsBefore = OpenFileDescriptors(), mapsBefore = Mappings();
        for (int i = 0; i < 1000; i++)
        {
            using Segment s = Segment.Open(dir, Tiny);
            Assert.Equal(100, s.LivePointCount);
            Put(s, 1000 + i, 2); // maps a new chunk past the reopened prefix
        }
        if (!OperatingSystem.IsLinux()) return;
        Assert.InRange(OpenFileDescriptors(), 0, fdsBefore + 10);
        Assert.InRange(Mappings(), 0, mapsBefore + 50);
    }

    private static int OpenFileDescriptors() => OperatingSystem.IsLinux() ? Directory.GetFiles("/proc/self/fd").Length : 0;

    private static int Mappings() => OperatingSystem.IsLinux() ? File.ReadAllLines("/proc/self/maps").Length : 0;
}
