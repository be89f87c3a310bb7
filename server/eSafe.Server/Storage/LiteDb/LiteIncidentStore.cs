using System.Globalization;
using eSafe.Server.Security;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// Three collections: <c>incidents</c> holds only what queries need (ID, school, device, status, category,
/// severity, times) and is indexed for the queue; <c>incident_contents</c> and <c>screenshots</c> hold the
/// rest, encrypted with the data key and bound to the incident's clear fields.
/// </summary>
public sealed class LiteIncidentStore : IIncidentStore
{
    private readonly LiteDatabase _database;
    private readonly AtRestCipher _cipher;
    private readonly ILiteCollection<BsonDocument> _incidents;
    private readonly ILiteCollection<BsonDocument> _contents;
    private readonly ILiteCollection<BsonDocument> _screenshots;
    private readonly Lock _write = new();

    public LiteIncidentStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _database = data.Database;
        _cipher = data.Cipher;
        _incidents = _database.GetCollection("incidents");
        _contents = _database.GetCollection("incident_contents");
        _screenshots = _database.GetCollection("screenshots");
        _incidents.EnsureIndex("schoolId");
        _incidents.EnsureIndex("deviceId");
        _incidents.EnsureIndex("status");
        _incidents.EnsureIndex("category");
        _incidents.EnsureIndex("severity");
    }

    public Task<AddOutcome> AddAsync(StoredIncident incident, byte[]? screenshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var document = new BsonDocument
        {
            ["_id"] = incident.Id,
            ["schoolId"] = incident.Incident.SchoolId,
            ["deviceId"] = incident.Incident.DeviceId,
            ["status"] = incident.Status,
            ["category"] = incident.Incident.Category,
            ["severity"] = incident.Incident.Severity,
            ["occurredAt"] = Bson.Time(incident.Incident.OccurredAt),
            ["receivedAt"] = Bson.Time(incident.ReceivedAt),
        };
        var contents = new IncidentContents(incident.Incident with { Screenshot = null }, incident.ServerSeenAddress, screenshot is not null);
        var blob = _cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(contents, StorageJson.Default.IncidentContents), ContentsPurpose(document));

        lock (_write)
        {
            if (_incidents.Exists("_id = @0", incident.Id))
            {
                return Task.FromResult(AddOutcome.Duplicate);
            }

            _database.BeginTrans();
            try
            {
                if (screenshot is not null)
                {
                    _screenshots.Insert(new BsonDocument { ["_id"] = incident.Id, ["blob"] = _cipher.Encrypt(screenshot, ScreenshotPurpose(incident.Id)) });
                }

                _contents.Insert(new BsonDocument { ["_id"] = incident.Id, ["blob"] = blob });
                _incidents.Insert(document);
                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }

        return Task.FromResult(AddOutcome.Added);
    }

    public Task<string?> FindDeviceAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_incidents.FindById(id)?["deviceId"].AsString);

    public Task<StoredIncident?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_incidents.FindById(id) is { } document ? Open(document) : null);

    public Task<IReadOnlyList<StoredIncident>> ListAsync(IncidentFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = _incidents.Query();
        if (filter.SchoolIds is { } schools)
        {
            query = schools.Count == 1
                ? query.Where("$.schoolId = @0", schools.First())
                : query.Where("$.schoolId IN @0", new BsonArray(schools.Select(s => new BsonValue(s))));
        }

        if (filter.Status is { } status)
        {
            query = query.Where("$.status = @0", status);
        }

        if (filter.Category is { } category)
        {
            query = query.Where("$.category = @0", category);
        }

        if (filter.Severity is { } severity)
        {
            query = query.Where("$.severity = @0", severity);
        }

        if (filter.MinSeverity is { } minSeverity)
        {
            query = query.Where("$.severity >= @0", minSeverity);
        }

        if (filter.Before is { } before)
        {
            query = query.Where("$._id < @0", before);
        }

        IReadOnlyList<StoredIncident> page = [.. query.OrderByDescending("$._id").Limit(filter.Limit).ToList().Select(Open)];
        return Task.FromResult(page);
    }

    public Task<byte[]?> GetScreenshotAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_screenshots.FindById(id) is { } document ? _cipher.Decrypt(document["blob"].AsBinary, ScreenshotPurpose(id)) : null);

    public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult(_incidents.LongCount());

    private StoredIncident Open(BsonDocument document)
    {
        var id = document["_id"].AsString;
        var blob = _contents.FindById(id)?["blob"].AsBinary
            ?? throw new InvalidOperationException($"The contents of incident {id} are missing from the database.");
        var contents = JsonSerializer.Deserialize(_cipher.Decrypt(blob, ContentsPurpose(document)), StorageJson.Default.IncidentContents)
            ?? throw new InvalidOperationException($"The contents of incident {id} are empty.");
        return new StoredIncident(contents.Incident, Bson.Time(document["receivedAt"]), contents.ServerSeenAddress,
            document["status"].AsString, contents.HasScreenshot);
    }

    // The clear fields that never change are bound into the encrypted contents: editing one in the database breaks the record.
    internal static string ContentsPurpose(BsonDocument d) => string.Join('\n',
        "incident", d["_id"].AsString, d["schoolId"].AsString, d["deviceId"].AsString, d["category"].AsString,
        d["severity"].AsInt32.ToString(CultureInfo.InvariantCulture),
        d["occurredAt"].AsInt64.ToString(CultureInfo.InvariantCulture),
        d["receivedAt"].AsInt64.ToString(CultureInfo.InvariantCulture));

    internal static string ScreenshotPurpose(string id) => "screenshot\n" + id;
}
