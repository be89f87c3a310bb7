namespace eSafe.Server.Live;

/// <summary>
/// Tells every server process's console users that something changed. The process that made the change publishes it; each
/// process hands what it hears to its own <see cref="LiveSubscribers"/>. Chosen with the store: in-process with LiteDB (one
/// process), PostgreSQL NOTIFY/LISTEN with the shared database.
/// </summary>
public interface IChangeFeed
{
    /// <summary>Publishes a change already saved. Never throws for the feed's own faults: a missed event only delays a console until its next poll.</summary>
    Task PublishAsync(LiveChange change, CancellationToken cancellationToken);
}
