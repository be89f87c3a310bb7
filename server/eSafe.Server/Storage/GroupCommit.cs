namespace eSafe.Server.Storage;

/// <summary>
/// Writes that arrive together share one transaction: while one batch is being written, every caller that asks meanwhile
/// joins the next, so under load one commit (and one lock, one fsync) serves many callers, and alone a caller waits for
/// nothing but its own. Each caller gets its own result, or the exception that failed its batch: none is told "written"
/// unless the batch committed. Batches keep the order callers arrived in.
/// </summary>
public sealed class GroupCommit<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit, int maxBatch = 256)
{
    private readonly Lock _lock = new();
    private readonly Queue<(TItem Item, TaskCompletionSource<TResult> Done)> _queue = new();
    private bool _running;

    /// <summary>How many batches have been committed (fewer than callers under load).</summary>
    public long Batches { get; private set; }

    /// <summary>
    /// Queues the item and waits for the commit of its batch. A caller that gives up (<paramref name="cancellationToken"/>)
    /// stops waiting, but its item, once queued, is still written with its batch.
    /// </summary>
    public Task<TResult> AddAsync(TItem item, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_lock)
        {
            _queue.Enqueue((item, done));
            start = !_running;
            _running = true;
        }

        if (start)
        {
            _ = Task.Run(RunAsync, CancellationToken.None);
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Done)> batch;
            lock (_lock)
            {
                if (_queue.Count == 0)
                {
                    _running = false;
                    return;
                }

                batch = new List<(TItem, TaskCompletionSource<TResult>)>(Math.Min(_queue.Count, maxBatch));
                while (batch.Count < maxBatch && _queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }

            try
            {
                var results = await commit([.. batch.Select(b => b.Item)]);
                if (results.Count != batch.Count)
                {
                    throw new InvalidOperationException($"A group commit returned {results.Count} results for {batch.Count} items.");
                }

                Batches++;
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(results[i]);
                }
            }
#pragma warning disable CA1031 // Whatever the commit threw is each waiter's to see: none of them may be told "written".
            catch (Exception e)
#pragma warning restore CA1031
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(e);
                }
            }
        }
    }
}
