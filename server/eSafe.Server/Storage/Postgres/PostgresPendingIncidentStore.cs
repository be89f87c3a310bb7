using eSafe.Contracts;
using Npgsql;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Pending Chromebook incidents: the envelope as its JSON (already sealed to the server's key), by incident ID.</summary>
public sealed class PostgresPendingIncidentStore(DataFolder data) : IPendingIncidentStore
{
    private const string Columns = "incident_id, device_id, school_id, created_ms, sealed";
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task AddAsync(PendingIncident pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var sealedJson = JsonSerializer.SerializeToUtf8Bytes(pending.Sealed, ContractsJson.Default.SealedIncident);
        await using var connection = await _db.OpenAsync(cancellationToken);
        // Replaces one of the same ID, as the LiteDB store's upsert does.
        await connection.ExecuteAsync($"""
            INSERT INTO pending_incidents ({Columns}) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (incident_id) DO UPDATE SET device_id = $2, school_id = $3, created_ms = $4, sealed = $5
            """, cancellationToken, pending.IncidentId, pending.DeviceId, pending.SchoolId, Pg.Ms(pending.CreatedAt), sealedJson);
    }

    public async Task<PendingIncident?> GetAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM pending_incidents WHERE incident_id = $1", Read, cancellationToken, incidentId);
    }

    public async Task RemoveAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync("DELETE FROM pending_incidents WHERE incident_id = $1", cancellationToken, incidentId);
    }

    public async Task<IReadOnlyList<PendingIncident>> ListOlderAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {Columns} FROM pending_incidents WHERE created_ms < $1 ORDER BY created_ms, incident_id LIMIT $2",
            Read, cancellationToken, Pg.Ms(before), max);
    }

    private static PendingIncident Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.Time(3),
        JsonSerializer.Deserialize(r.Bytes(4), ContractsJson.Default.SealedIncident)
            ?? throw new InvalidOperationException($"The pending incident {r.GetString(0)} is empty."));
}
