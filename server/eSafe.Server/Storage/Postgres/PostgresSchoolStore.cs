using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Schools, each enrolment code kept only as a hash (unique).</summary>
public sealed class PostgresSchoolStore(DataFolder data) : ISchoolStore
{
    private const string Columns = "id, name, enrolment_code_hash, created_ms, retention_months";
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task AddAsync(SchoolRecord school, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(school);
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"INSERT INTO schools ({Columns}) VALUES ($1, $2, $3, $4, $5)", cancellationToken,
            school.Id, school.Name, school.EnrolmentCodeHash, Pg.Ms(school.CreatedAt), school.RetentionMonths);
    }

    public async Task<SchoolRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM schools WHERE id = $1", Read, cancellationToken, id);
    }

    public async Task<SchoolRecord?> FindByEnrolmentCodeHashAsync(string codeHash, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM schools WHERE enrolment_code_hash = $1", Read, cancellationToken, codeHash);
    }

    public async Task<IReadOnlyList<SchoolRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var schools = await connection.QueryAsync($"SELECT {Columns} FROM schools", Read, cancellationToken);
        return [.. schools.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<bool> SetEnrolmentCodeHashAsync(string id, string codeHash, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE schools SET enrolment_code_hash = $2 WHERE id = $1", cancellationToken, id, codeHash) == 1;
    }

    public async Task<bool> SetRetentionMonthsAsync(string id, int? months, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("UPDATE schools SET retention_months = $2 WHERE id = $1", cancellationToken, id, months) == 1;
    }

    private static SchoolRecord Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3))
    {
        RetentionMonths = r.IsDBNull(4) ? null : r.GetInt32(4),
    };
}
