using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Console accounts, keyed by the upper-cased username; passwords only as salted PBKDF2 hashes.</summary>
public sealed class PostgresAnalystStore(DataFolder data) : IAnalystStore
{
    private const string Columns = "username_key, username, display_name, role, school_id, password_hash, security_stamp, created_ms, qualifications";
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task<bool> AddAsync(AnalystAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync($"INSERT INTO accounts ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            cancellationToken, Values(account)) == 1;
    }

    public async Task<AnalystAccount?> FindAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM accounts WHERE username_key = $1", Read, cancellationToken, Key(username));
    }

    public async Task<bool> UpdateAsync(AnalystAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("""
            UPDATE accounts SET username = $2, display_name = $3, role = $4, school_id = $5, password_hash = $6, security_stamp = $7,
                created_ms = $8, qualifications = $9
            WHERE username_key = $1
            """, cancellationToken, Values(account)) == 1;
    }

    public async Task<IReadOnlyList<AnalystAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {Columns} FROM accounts ORDER BY username_key", Read, cancellationToken);
    }

    private static object?[] Values(AnalystAccount a) =>
        [Key(a.Username), a.Username, a.DisplayName, a.Role, a.SchoolId, a.PasswordHash, a.SecurityStamp, Pg.Ms(a.CreatedAt), a.Qualifications];

    private static AnalystAccount Read(NpgsqlDataReader r) =>
        new(r.GetString(1), r.GetString(2), r.GetString(3), r.Text(4), r.GetString(5), r.GetString(6), r.Time(7)) { Qualifications = r.Text(8) };

    private static string Key(string username) => username.Trim().ToUpperInvariant();
}
