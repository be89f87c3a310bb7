namespace eSafe.Server.Storage;

/// <summary>
/// Group commit: callers that need their writes on disk share one flush. A caller waits for a flush that starts after
/// it asked; while one flush runs, everyone who asks meanwhile is served by the next one, so under load one fsync
/// covers many writes and a caller waits at most about two flushes. A flush that fails fails every caller it would have
/// answered (<see cref="GroupCommit{TItem, TResult}"/>, with nothing to write but the flush).
/// </summary>
public sealed class GroupFlush(Action flush)
{
    private readonly GroupCommit<bool, bool> _group = new(callers =>
    {
        // fsync blocks: on the group's thread of the pool, never the caller's.
        flush();
        return Task.FromResult<IReadOnlyList<bool>>(new bool[callers.Count]);
    }, maxBatch: int.MaxValue);

    /// <summary>How many flushes have run: fewer than callers under load.</summary>
    public long Flushes => _group.Batches;

    public Task WaitAsync(CancellationToken cancellationToken) => _group.AddAsync(true, cancellationToken);
}
