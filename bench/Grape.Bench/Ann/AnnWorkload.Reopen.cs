using System.Diagnostics;
using System.Text.Json.Nodes;
using Grape.Core.Embedded;

namespace Grape.Bench.Ann;

internal sealed partial class AnnWorkload
{
    /// <summary>
    /// <c>--reopen</c>: closes the database after the build and opens it again, as a restarted server would, and the
    /// searches then run on the reopened copy (so they show the graph was loaded, not rebuilt). <c>reopen_s</c> runs
    /// from the open call until the first search has answered; <c>close_s</c> is the close that precedes it. Both go
    /// into the build record, with the resident memory right after the reopen (<c>reopen_rss_mb</c>).
    /// </summary>
    private async Task<GrapeDatabase> ReopenAsync(GrapeDatabase db, AnnDataset data, JsonObject buildRecord)
    {
        var sw = Stopwatch.StartNew();
        if (!await db.CloseAsync(TimeSpan.FromMinutes(5)))
            throw new InvalidOperationException("the database did not close within 5 minutes");
        double close = sw.Elapsed.TotalSeconds;
        FullGc();

        sw.Restart();
        var reopened = await GrapeDatabase.OpenAsync(new GrapeOptions(_storage));
        var first = await reopened.SearchAsync(Collection, new SearchRequest(data.Queries.Row(0).ToArray()) { Limit = K });
        double reopen = sw.Elapsed.TotalSeconds;
        var info = await reopened.GetCollectionInfoAsync(Collection);
        if (first.Count == 0 || info.PointsCount != data.Base.Rows)
            throw new InvalidOperationException($"the reopened collection holds {info.PointsCount} points, and the first search found {first.Count}");

        buildRecord["close_s"] = Math.Round(close, 3);
        buildRecord["reopen_s"] = Math.Round(reopen, 3);
        buildRecord["reopen_rss_mb"] = Math.Round(RssMb(), 1);
        buildRecord["reopen_indexed_vectors_count"] = info.IndexedVectorsCount;
        AnnResults.Note($"closed in {close:F2} s, reopened and answered a first search in {reopen:F2} s " +
                        $"({info.IndexedVectorsCount:N0} of {info.PointsCount:N0} vectors indexed after the reopen)");
        return reopened;
    }
}
