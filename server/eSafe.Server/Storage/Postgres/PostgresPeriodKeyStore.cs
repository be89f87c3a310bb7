using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// Period keys in <c>period_keys</c>. A destroyed key's row keeps only its tombstone; the old row version is vacuumed
/// away at once rather than left for autovacuum.
/// </summary>
public sealed class PostgresPeriodKeyStore(DataFolder data) : IPeriodKeyStore
{
    private const string Columns = "school_id, period, wrapped, created_ms, destroyed_ms";
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task<PeriodKeyRecord?> GetAsync(string schoolId, string period, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM period_keys WHERE school_id = $1 AND period = $2", Read, cancellationToken,
            schoolId, period);
    }

    public async Task<PeriodKeyRecord> AddIfMissingAsync(PeriodKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"INSERT INTO period_keys ({Columns}) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (school_id, period) DO NOTHING",
            cancellationToken, key.SchoolId, key.Period, key.Wrapped, Pg.Ms(key.CreatedAt), Pg.Ms(key.DestroyedAt));
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM period_keys WHERE school_id = $1 AND period = $2", Read, cancellationToken,
            key.SchoolId, key.Period) ?? throw new InvalidOperationException("A period key just added is missing.");
    }

    public async Task<IReadOnlyList<PeriodKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {Columns} FROM period_keys ORDER BY school_id COLLATE \"C\", period COLLATE \"C\"", Read, cancellationToken);
    }

    public async Task<bool> DestroyAsync(string schoolId, string period, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var destroyed = await connection.ExecuteAsync(
            "UPDATE period_keys SET wrapped = NULL, destroyed_ms = $3 WHERE school_id = $1 AND period = $2 AND wrapped IS NOT NULL",
            cancellationToken, schoolId, period, Pg.Ms(at)) == 1;
        if (destroyed)
        {
            await connection.ExecuteAsync("VACUUM period_keys", cancellationToken);
        }

        return destroyed;
    }

    public async Task<bool> RewrapAsync(string schoolId, string period, byte[] wrapped, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE period_keys SET wrapped = $3 WHERE school_id = $1 AND period = $2 AND wrapped IS NOT NULL",
            cancellationToken, schoolId, period, wrapped) == 1;
    }

    private static PeriodKeyRecord Read(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.Bytes(2), r.Time(3), r.OptionalTime(4));
}
