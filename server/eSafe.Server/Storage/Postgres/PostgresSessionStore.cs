using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Console sessions in a table every server process reads; see <see cref="ISessionStore"/>.</summary>
public sealed class PostgresSessionStore(DataFolder data) : ISessionStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task AddAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("INSERT INTO sessions (id, username, ticket, started_ms, last_seen_ms) VALUES ($1, $2, $3, $4, $5)",
            cancellationToken, session.Id, session.Username.ToLowerInvariant(), session.Ticket, Pg.Ms(session.StartedAt), Pg.Ms(session.LastSeenAt));
    }

    public async Task<SessionRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync("SELECT id, username, ticket, started_ms, last_seen_ms FROM sessions WHERE id = $1", Read,
            cancellationToken, id);
    }

    public async Task<bool> UpdateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE sessions SET username = $2, ticket = $3, started_ms = $4, last_seen_ms = $5 WHERE id = $1",
            cancellationToken, session.Id, session.Username.ToLowerInvariant(), session.Ticket, Pg.Ms(session.StartedAt), Pg.Ms(session.LastSeenAt)) == 1;
    }

    public async Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM sessions WHERE id = $1", cancellationToken, id);
    }

    public async Task<int> RemoveForAccountAsync(string username, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(username);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM sessions WHERE username = $1", cancellationToken, username.ToLowerInvariant());
    }

    public async Task<int> RemoveExpiredAsync(DateTimeOffset idleBefore, DateTimeOffset startedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("DELETE FROM sessions WHERE last_seen_ms < $1 OR started_ms < $2", cancellationToken,
            Pg.Ms(idleBefore), Pg.Ms(startedBefore));
    }

    private static SessionRecord Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.Bytes(2), r.Time(3), r.Time(4));
}
