using eSafe.Server.Security;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// Each incident's workflow as an encrypted blob in <c>incident_workflow</c>; the fields the queue, the banner and the
/// dashboard need (status, outcome, decision and acknowledgement times, the alert token's tag) are copied to the
/// incident's clear fields in the same transaction. The blob is encrypted with the incident's month key, as its contents are.
/// </summary>
public sealed class LiteIncidentWorkflowStore : IIncidentWorkflowStore
{
    private readonly LiteDatabase _database;
    private readonly AtRestCipher _cipher;
    private readonly PeriodKeys _periods;
    private readonly ILiteCollection<BsonDocument> _incidents;
    private readonly ILiteCollection<BsonDocument> _workflows;
    private readonly Lock _write = new();

    public LiteIncidentWorkflowStore(DataFolder data, PeriodKeys periods)
    {
        ArgumentNullException.ThrowIfNull(data);
        _database = data.Database;
        _cipher = data.Cipher;
        _periods = periods;
        _incidents = LiteCollections.Open(_database, LiteIncidentStore.IncidentsCollection);
        _workflows = LiteCollections.Open(_database, "incident_workflow");
        _incidents.EnsureIndex("alertTag");
        _incidents.EnsureIndex("alertOpen");
    }

    public async Task<IncidentWorkflow?> GetAsync(string incidentId, CancellationToken cancellationToken)
    {
        var incident = _incidents.FindById(incidentId);
        return incident is null ? null : await ReadAsync(incident, cancellationToken);
    }

    public async Task<bool> SaveAsync(string incidentId, IncidentWorkflow workflow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        // The school and receipt time never change, so the month key can be found before the version is checked.
        if (_incidents.FindById(incidentId) is not { } clear)
        {
            return false;
        }

        var blob = await _periods.EncryptAsync(clear["schoolId"].AsString, Bson.Time(clear["receivedAt"]),
            JsonSerializer.SerializeToUtf8Bytes(workflow, StorageJson.Default.IncidentWorkflow), Purpose(incidentId, workflow.Version), cancellationToken);
        lock (_write)
        {
            var incident = _incidents.FindById(incidentId);
            if (incident is null || Version(incident) != workflow.Version - 1)
            {
                return false;
            }

            var firstDecision = workflow.Decisions.Count > 0 ? workflow.Decisions[0].DecidedAt : (DateTimeOffset?)null;
            var current = workflow.Current;
            incident["status"] = workflow.Status;
            incident["workflowVersion"] = workflow.Version;
            incident["outcome"] = Bson.Text(current?.Outcome);
            incident["noActionReason"] = Bson.Text(current?.NoActionReason);
            incident["firstDecidedAt"] = firstDecision is { } first ? Bson.Time(first) : BsonValue.Null;
            incident["alertOpen"] = workflow.AlertOpen;
            incident["alertTag"] = workflow.Alert is { } alert ? AlertTag(alert.Token) : BsonValue.Null;
            incident["alertRaisedAt"] = workflow.Alert is { } raised ? Bson.Time(raised.RaisedAt) : BsonValue.Null;
            incident["acknowledgedAt"] = workflow.Alert?.Acknowledgement is { } ack ? Bson.Time(ack.At) : BsonValue.Null;
            _database.BeginTrans();
            try
            {
                _workflows.Upsert(new BsonDocument { ["_id"] = incidentId, ["blob"] = blob });
                _incidents.Update(incident);
                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }

        return true;
    }

    public Task<string?> FindByAlertTokenAsync(string token, CancellationToken cancellationToken) =>
        Task.FromResult(_incidents.FindOne("$.alertTag = @0", AlertTag(token))?["_id"].AsString);

    public Task<IReadOnlyList<string>> ListOpenAlertsAsync(IReadOnlyCollection<string>? schoolIds, CancellationToken cancellationToken)
    {
        var query = _incidents.Query().Where("$.alertOpen = true");
        if (schoolIds is not null)
        {
            query = query.Where("$.schoolId IN @0", new BsonArray(schoolIds.Select(s => new BsonValue(s))));
        }

        IReadOnlyList<string> ids = [.. query.OrderBy("$._id").Select("$._id").ToList().Select(d => d["_id"].AsString)];
        return Task.FromResult(ids);
    }

    private async Task<IncidentWorkflow> ReadAsync(BsonDocument incident, CancellationToken cancellationToken)
    {
        var id = incident["_id"].AsString;
        var version = Version(incident);
        if (version == 0)
        {
            return IncidentWorkflow.Initial(incident["status"].AsString);
        }

        var blob = _workflows.FindById(id)?["blob"].AsBinary
            ?? throw new InvalidOperationException($"The workflow of incident {id} is missing from the database.");
        var plaintext = await _periods.DecryptAsync(incident["schoolId"].AsString, Bson.Time(incident["receivedAt"]), blob, Purpose(id, version), cancellationToken);
        return JsonSerializer.Deserialize(plaintext, StorageJson.Default.IncidentWorkflow)
            ?? throw new InvalidOperationException($"The workflow of incident {id} is empty.");
    }

    private static int Version(BsonDocument incident) => incident["workflowVersion"] is { IsInt32: true } v ? v.AsInt32 : 0;

    private string AlertTag(string token) => BlobPurposes.AlertTag(_cipher, token);

    internal static string Purpose(string incidentId, int version) => BlobPurposes.Workflow(incidentId, version);
}
