namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// PostgreSQL's commit returns once its WAL is on disk (synchronous_commit on, its default; the incident store
/// turns it back on for its own transaction where a server was set up with it off), so there is nothing to wait for.
/// </summary>
public sealed class PostgresCommits : IDurableCommits
{
    public Task WaitAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
