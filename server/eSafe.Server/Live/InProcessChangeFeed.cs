namespace eSafe.Server.Live;

/// <summary>The embedded store's feed: one process, so a change goes straight to its subscribers.</summary>
public sealed class InProcessChangeFeed(LiveSubscribers subscribers) : IChangeFeed
{
    public Task PublishAsync(LiveChange change, CancellationToken cancellationToken)
    {
        subscribers.Deliver(change);
        return Task.CompletedTask;
    }
}
