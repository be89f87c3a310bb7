using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// Failed-login counters shared by every server process. A failure is counted under a transaction-scoped advisory lock
/// on its key, so two processes counting the same key at once take turns and neither count is lost.
/// </summary>
public sealed class PostgresLoginThrottleStore(DataFolder data) : ILoginThrottleStore
{
    /// <summary>The advisory locks' first key ("eSafe" throttle): keeps them apart from other locks on the database.</summary>
    private const int LockClass = 0x6553_0002;
    private const string Columns = "key, failures, window_start_ms, last_failure_ms, locked_until_ms";
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task<ThrottleCounter?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM login_throttle WHERE key = $1", Read, cancellationToken, key);
    }

    public Task<ThrottleCounter> AddFailureAsync(string key, DateTimeOffset now, TimeSpan window, int lockAfter, TimeSpan lockFor,
        CancellationToken cancellationToken) =>
        _db.InTransactionAsync(async connection =>
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock($1, hashtext($2))", cancellationToken, LockClass, key);
            var found = await connection.QueryFirstAsync($"SELECT {Columns} FROM login_throttle WHERE key = $1", Read, cancellationToken, key);
            var counter = ThrottleCounter.AfterFailure(found, key, now, window, lockAfter, lockFor);
            await connection.ExecuteAsync($"""
                INSERT INTO login_throttle ({Columns}) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (key) DO UPDATE SET failures = $2, window_start_ms = $3, last_failure_ms = $4, locked_until_ms = $5
                """, cancellationToken, counter.Key, counter.Failures, Pg.Ms(counter.WindowStart), Pg.Ms(counter.LastFailure), Pg.Ms(counter.LockedUntil));
            return counter;
        }, cancellationToken);

    public async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM login_throttle WHERE key = $1", cancellationToken, key);
    }

    public async Task<int> RemoveStaleAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM login_throttle WHERE last_failure_ms < $1 AND (locked_until_ms IS NULL OR locked_until_ms < $1)",
            cancellationToken, Pg.Ms(before));
    }

    private static ThrottleCounter Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetInt32(1), r.Time(2), r.Time(3), r.OptionalTime(4));
}
