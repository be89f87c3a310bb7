using eSafe.Contracts;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Pending Chromebook incidents: the envelope as its JSON (already sealed to the server's key), by incident ID.</summary>
public sealed class LitePendingIncidentStore : IPendingIncidentStore
{
    private readonly ILiteCollection<BsonDocument> _pending;

    public LitePendingIncidentStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _pending = LiteCollections.Open(data.Database, "pendingIncidents");
        _pending.EnsureIndex("createdAt");
    }

    public Task AddAsync(PendingIncident pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        _pending.Upsert(new BsonDocument
        {
            ["_id"] = pending.IncidentId,
            ["deviceId"] = pending.DeviceId,
            ["schoolId"] = pending.SchoolId,
            ["createdAt"] = Bson.Time(pending.CreatedAt),
            ["sealed"] = JsonSerializer.SerializeToUtf8Bytes(pending.Sealed, ContractsJson.Default.SealedIncident),
        });
        return Task.CompletedTask;
    }

    public Task<PendingIncident?> GetAsync(string incidentId, CancellationToken cancellationToken) =>
        Task.FromResult(_pending.FindById(incidentId) is { } d ? Read(d) : null);

    public Task RemoveAsync(string incidentId, CancellationToken cancellationToken)
    {
        _pending.Delete(incidentId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PendingIncident>> ListOlderAsync(DateTimeOffset before, int max, CancellationToken cancellationToken)
    {
        IReadOnlyList<PendingIncident> older = [.. _pending.Find(Query.LT("createdAt", Bson.Time(before)), limit: max)
            .Select(Read).OrderBy(p => p.CreatedAt)];
        return Task.FromResult(older);
    }

    private static PendingIncident Read(BsonDocument d) => new(d["_id"].AsString, d["deviceId"].AsString, d["schoolId"].AsString,
        Bson.Time(d["createdAt"]),
        JsonSerializer.Deserialize(d["sealed"].AsBinary, ContractsJson.Default.SealedIncident)
            ?? throw new InvalidOperationException($"The pending incident {d["_id"].AsString} is empty."));
}
