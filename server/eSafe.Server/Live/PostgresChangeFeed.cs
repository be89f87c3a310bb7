using eSafe.Server.Storage;
using eSafe.Server.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace eSafe.Server.Live;

/// <summary>
/// The shared store's feed: <c>pg_notify</c> on the <see cref="Channel"/> channel, right after the change was committed.
/// Every server process (this one too) hears it through its <see cref="PostgresChangeListener"/>.
/// </summary>
public sealed partial class PostgresChangeFeed(DataFolder data, ILogger<PostgresChangeFeed>? log = null) : IChangeFeed
{
    public const string Channel = "esafe_changes";
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly ILogger _log = log ?? NullLogger<PostgresChangeFeed>.Instance;

    public async Task PublishAsync(LiveChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            await using var connection = await _db.OpenAsync(cancellationToken);
            // NOTIFY takes no parameters; pg_notify does.
            await connection.ExecuteAsync("SELECT pg_notify($1, $2)", cancellationToken, Channel, change.ToPayload());
        }
        catch (Exception e) when (e is NpgsqlException or StorageUnavailableException or TimeoutException)
        {
            NotPublished(_log, change.Kind, change.SchoolId, e.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "A live {Kind} change of school {SchoolId} was not announced (consoles see it at their next poll): {Reason}")]
    private static partial void NotPublished(ILogger logger, string kind, string schoolId, string reason);
}
