namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// A PostgreSQL server's screenshots in segment files that every server process of the database shares
/// (<c>serve --screenshots DIR</c>, a shared volume when the processes are on several machines): the database keeps only
/// where each one is, so an incident costs it a small row rather than 100 KB in its heap and again in its WAL. Concurrent
/// incidents share one write and one fsync (<see cref="GroupCommit{TItem, TResult}"/>), done before the row is inserted,
/// so the row never names a screenshot that is not on disk. Each process appends to segments of its own.
/// </summary>
public sealed class SharedScreenshotFiles(IScreenshotFiles files, TimeProvider clock)
{
    private readonly GroupCommit<ScreenshotToFile, ScreenshotLocation> _appends = new(batch => Task.FromResult(files.Append(batch)), maxBatch: 32);

    /// <summary>Writes the screenshot with whichever others arrive meanwhile; on return it is on disk.</summary>
    public Task<ScreenshotLocation> AppendAsync(ScreenshotToFile screenshot, CancellationToken cancellationToken) =>
        _appends.AddAsync(screenshot, cancellationToken);

    public byte[]? Read(ScreenshotLocation location, string incidentId) => files.Read(location, incidentId);

    /// <inheritdoc cref="IScreenshotFiles.ZeroOut"/>
    public void ZeroOut(IReadOnlyCollection<ScreenshotLocation> locations)
    {
        if (locations.Count > 0)
        {
            files.ZeroOut(locations);
        }
    }

    /// <summary>
    /// Removes the segments of these records' months that nothing references (<paramref name="isReferenced"/>). Another
    /// process may have written a record in a segment and not yet inserted the row naming it, and only in the month it
    /// receives incidents in: segments of this month and the last are left for that reason (retention never deletes them).
    /// </summary>
    public int RemoveUnreferenced(IReadOnlyCollection<ScreenshotLocation> locations, Func<string, bool> isReferenced)
    {
        var lastMonth = RetentionPeriod.Of(clock.GetUtcNow().AddMonths(-1));
        var settled = locations.Select(l => l.Segment).Where(s => string.CompareOrdinal(MonthOf(s), lastMonth) < 0).ToList();
        return settled.Count == 0 ? 0 : files.RemoveUnreferenced(settled, isReferenced);
    }

    // SCHOOL/yyyy-MM/NNNNNN.seg
    private static string MonthOf(string segment) => segment.Split('/') is [_, var month, _] ? month : "";
}
