namespace eSafe.Server.Storage;

/// <summary>
/// Group commit: callers that need their writes on disk share one flush. A caller waits for a flush that starts after
/// it asked; while one flush runs, everyone who asks meanwhile is served by the next one, so under load one fsync
/// covers many writes and a caller waits at most about two flushes.
/// </summary>
public sealed class GroupFlush(Action flush)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _next;
    private bool _running;

    /// <summary>How many flushes have run: fewer than callers under load.</summary>
    public long Flushes { get; private set; }

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task waiting;
        var start = false;
        lock (_lock)
        {
            _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = _next.Task;
            if (!_running)
            {
                _running = start = true;
            }
        }

        if (start)
        {
            // fsync blocks: on a thread of the pool, never the caller's.
            _ = Task.Run(Run, CancellationToken.None);
        }

        return waiting.WaitAsync(cancellationToken);
    }

    private void Run()
    {
        while (true)
        {
            TaskCompletionSource? these;
            lock (_lock)
            {
                these = _next;
                _next = null;
                if (these is null)
                {
                    _running = false;
                    return;
                }
            }

            try
            {
                flush();
                Flushes++;
                these.SetResult();
            }
#pragma warning disable CA1031 // Whatever the flush threw is each waiter's to see: none of them may be told "durable".
            catch (Exception e)
#pragma warning restore CA1031
            {
                these.SetException(e);
            }
        }
    }
}
