using eSafe.Server.Storage;
using eSafe.Server.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace eSafe.Server.Live;

/// <summary>
/// The shared store's feed: <c>pg_notify</c> on the <see cref="Channel"/> channel, right after the change was committed.
/// Every server process (this one too) hears it through its <see cref="PostgresChangeListener"/>. Changes published at the same
/// moment share one statement (<see cref="GroupCommit{TItem, TResult}"/>).
/// </summary>
public sealed partial class PostgresChangeFeed : IChangeFeed
{
    public const string Channel = "esafe_changes";
    private readonly PostgresDatabase _db;
    private readonly ILogger _log;
    private readonly GroupCommit<LiveChange, bool> _group;

    public PostgresChangeFeed(DataFolder data, ILogger<PostgresChangeFeed>? log = null)
    {
        _db = data.RequirePostgres();
        _log = log ?? NullLogger<PostgresChangeFeed>.Instance;
        _group = new GroupCommit<LiveChange, bool>(NotifyAsync);
    }

    public async Task PublishAsync(LiveChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            await _group.AddAsync(change, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or StorageUnavailableException or TimeoutException)
        {
            NotPublished(_log, change.Kind, change.SchoolId, e.Message);
        }
    }

    // Changes published together go in one statement: one round trip instead of one each (PostgreSQL folds a repeat of the
    // same payload in one transaction into one notification, which tells a console nothing less).
    private async Task<IReadOnlyList<bool>> NotifyAsync(IReadOnlyList<LiveChange> changes)
    {
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        // NOTIFY takes no parameters; pg_notify does.
        await connection.ExecuteAsync("SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload",
            CancellationToken.None, Channel, changes.Select(c => c.ToPayload()).ToArray());
        return [.. changes.Select(_ => true)];
    }

    [LoggerMessage(LogLevel.Warning, "A live {Kind} change of school {SchoolId} was not announced (consoles see it at their next poll): {Reason}")]
    private static partial void NotPublished(ILogger logger, string kind, string schoolId, string reason);
}
