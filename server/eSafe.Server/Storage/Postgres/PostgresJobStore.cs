using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// Jobs in one table. A claim takes due rows with <c>FOR UPDATE SKIP LOCKED</c> and leases them in the same statement, so
/// several processes claiming at once each get different jobs; unique keys are a unique index.
/// </summary>
public sealed class PostgresJobStore(DataFolder data) : IJobStore
{
    private const string Columns = "id, kind, school_id, incident_id, decision, contact_id, step, unique_key, created_ms, due_ms, state, attempts, "
        + "last_error, outcome, completed_ms";
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task<bool> AddAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync($"""
            INSERT INTO jobs ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (unique_key) DO NOTHING
            """, cancellationToken, Values(job)) == 1;
    }

    public async Task<IReadOnlyList<EscalationJob>> ClaimDueAsync(DateTimeOffset now, DateTimeOffset leaseUntil, string owner, int max,
        CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var claimed = await connection.QueryAsync($"""
            UPDATE jobs SET lease_until_ms = $2, leased_by = $3
            WHERE id IN (
                SELECT id FROM jobs
                WHERE state = $4 AND due_ms <= $1 AND (lease_until_ms IS NULL OR lease_until_ms < $1)
                ORDER BY due_ms LIMIT $5
                FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """, Read, cancellationToken, Pg.Ms(now), Pg.Ms(leaseUntil), owner, JobStates.Pending, max);
        return [.. claimed.OrderBy(j => j.DueAt).ThenBy(j => j.Id, StringComparer.Ordinal)];
    }

    public async Task<bool> CompleteAsync(EscalationJob job, string owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync("""
            UPDATE jobs SET kind = $2, school_id = $3, incident_id = $4, decision = $5, contact_id = $6, step = $7, unique_key = $8,
                created_ms = $9, due_ms = $10, state = $11, attempts = $12, last_error = $13, outcome = $14, completed_ms = $15,
                lease_until_ms = NULL, leased_by = NULL
            WHERE id = $1 AND leased_by = $16
            """, cancellationToken, [.. Values(job), owner]) == 1;
    }

    public async Task<IReadOnlyList<EscalationJob>> ListForIncidentAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {Columns} FROM jobs WHERE incident_id = $1 ORDER BY id", Read, cancellationToken, incidentId);
    }

    public async Task<int> DeleteFinishedAsync(DateTimeOffset completedBefore, int max, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        // SKIP LOCKED as in a claim: processes cleaning up at once take different rows instead of waiting on each other.
        return await connection.ExecuteAsync("""
            DELETE FROM jobs WHERE id IN (
                SELECT id FROM jobs WHERE state IN ($1, $2) AND completed_ms < $3
                ORDER BY completed_ms LIMIT $4
                FOR UPDATE SKIP LOCKED)
            """, cancellationToken, JobStates.Done, JobStates.Cancelled, Pg.Ms(completedBefore), max);
    }

    public async Task<IReadOnlyList<EscalationJob>> ListTroubledAsync(IReadOnlyCollection<string>? schoolIds, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"""
            SELECT {Columns} FROM jobs
            WHERE (state = $1 OR (state = $2 AND last_error IS NOT NULL)) AND ($3::text[] IS NULL OR school_id = ANY($3))
            ORDER BY id DESC LIMIT $4
            """, Read, cancellationToken, JobStates.Failed, JobStates.Pending, schoolIds?.ToArray(), limit);
    }

    private static object?[] Values(EscalationJob j) =>
    [
        j.Id, j.Kind, j.SchoolId, j.IncidentId, j.DecisionNumber, j.ContactId, j.Step, j.UniqueKey, Pg.Ms(j.CreatedAt), Pg.Ms(j.DueAt), j.State,
        j.Attempts, j.LastError, j.Outcome, Pg.Ms(j.CompletedAt),
    ];

    private static EscalationJob Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.Text(3), r.GetInt32(4), r.Text(5),
        r.GetInt32(6), r.Text(7), r.Time(8), r.Time(9), r.GetString(10), r.GetInt32(11), r.Text(12), r.Text(13), r.OptionalTime(14));
}
