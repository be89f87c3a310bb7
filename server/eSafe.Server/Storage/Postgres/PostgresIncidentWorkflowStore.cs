using eSafe.Server.Security;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// Each incident's workflow as an encrypted column of its row, with the clear fields the queue, banner and dashboard
/// need. A save is one conditional <c>UPDATE</c> on the stored version, so two processes cannot both win. The column is
/// encrypted with the incident's month key, as its contents are.
/// </summary>
public sealed class PostgresIncidentWorkflowStore(DataFolder data, PeriodKeys periods) : IIncidentWorkflowStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly AtRestCipher _cipher = data.Cipher;

    public async Task<IncidentWorkflow?> GetAsync(string incidentId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstAsync("SELECT status, workflow_version, workflow, school_id, received_ms FROM incidents WHERE id = $1",
            r => new { Status = r.GetString(0), Version = r.GetInt32(1), Blob = r.IsDBNull(2) ? null : r.Bytes(2), School = r.GetString(3), Received = r.Time(4) },
            cancellationToken, incidentId);
        if (row is null)
        {
            return null;
        }

        if (row.Version == 0)
        {
            return IncidentWorkflow.Initial(row.Status);
        }

        var blob = row.Blob ?? throw new InvalidOperationException($"The workflow of incident {incidentId} is missing from the database.");
        var plaintext = await periods.DecryptAsync(row.School, row.Received, blob, BlobPurposes.Workflow(incidentId, row.Version), cancellationToken);
        return JsonSerializer.Deserialize(plaintext, StorageJson.Default.IncidentWorkflow)
            ?? throw new InvalidOperationException($"The workflow of incident {incidentId} is empty.");
    }

    public async Task<bool> SaveAsync(string incidentId, IncidentWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var firstDecision = workflow.Decisions.Count > 0 ? workflow.Decisions[0].DecidedAt : (DateTimeOffset?)null;
        var current = workflow.Current;
        await using var connection = await _db.OpenAsync(cancellationToken);
        // The school and receipt time never change, so the month key can be found before the version is checked.
        var clear = await connection.QueryFirstAsync("SELECT school_id, received_ms FROM incidents WHERE id = $1",
            r => new { School = r.GetString(0), Received = r.Time(1) }, cancellationToken, incidentId);
        if (clear is null)
        {
            return false;
        }

        var blob = await periods.EncryptAsync(clear.School, clear.Received, JsonSerializer.SerializeToUtf8Bytes(workflow, StorageJson.Default.IncidentWorkflow),
            BlobPurposes.Workflow(incidentId, workflow.Version), cancellationToken);
        var saved = await connection.ExecuteAsync("""
            UPDATE incidents SET status = $3, workflow_version = $2, workflow = $4, outcome = $5, no_action_reason = $6,
                first_decided_ms = $7, alert_open = $8, alert_tag = $9, alert_raised_ms = $10, acknowledged_ms = $11
            WHERE id = $1 AND workflow_version = $2 - 1
            """, cancellationToken, incidentId, workflow.Version, workflow.Status, blob, current?.Outcome, current?.NoActionReason,
            Pg.Ms(firstDecision), workflow.AlertOpen, workflow.Alert is { } alert ? BlobPurposes.AlertTag(_cipher, alert.Token) : null,
            Pg.Ms(workflow.Alert?.RaisedAt), Pg.Ms(workflow.Alert?.Acknowledgement?.At));
        return saved == 1;
    }

    public async Task<string?> FindByAlertTokenAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync("SELECT id FROM incidents WHERE alert_tag = $1", r => r.GetString(0), cancellationToken,
            BlobPurposes.AlertTag(_cipher, token));
    }

    public async Task<IReadOnlyList<string>> ListOpenAlertsAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync("SELECT id FROM incidents WHERE alert_open AND ($1::text[] IS NULL OR school_id = ANY($1)) ORDER BY id",
            r => r.GetString(0), cancellationToken, [schoolIds?.ToArray()]);
    }
}
