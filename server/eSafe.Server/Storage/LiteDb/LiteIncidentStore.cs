using eSafe.Server.Security;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// Three collections: <c>incidents</c> holds only what queries need (ID, school, device, status, category,
/// severity, times) and is indexed for the queue; <c>incident_contents</c> holds the rest, and the screenshot files
/// (<see cref="IScreenshotFiles"/>, found through <c>screenshots</c>: <see cref="LiteScreenshots"/>) the screenshots, both
/// encrypted with the school's key for the month the incident was received in (<see cref="PeriodKeys"/>) and bound to the
/// incident's clear fields. <see cref="DeleteReceivedBeforeAsync"/> removes an expired month's incidents.
/// </summary>
public sealed class LiteIncidentStore : IIncidentStore
{
    private readonly LiteDatabase _database;
    private readonly AtRestCipher _cipher;
    private readonly PeriodKeys _periods;
    private readonly ILiteCollection<BsonDocument> _incidents;
    private readonly ILiteCollection<BsonDocument> _contents;
    private readonly LiteScreenshots _screenshots;
    private readonly Lock _write = new();
    private readonly GroupCommit<Addition, AddOutcome> _adds;

    public LiteIncidentStore(DataFolder data, PeriodKeys periods, IScreenshotFiles screenshotFiles)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(screenshotFiles);
        _database = data.Database;
        _cipher = data.Cipher;
        _periods = periods;
        _adds = new GroupCommit<Addition, AddOutcome>(AddBatch, maxBatch: 32);
        _incidents = LiteCollections.Open(_database, IncidentsCollection);
        _contents = LiteCollections.Open(_database, "incident_contents");
        _screenshots = new LiteScreenshots(_database, screenshotFiles);
        _incidents.EnsureIndex("schoolId");
        _incidents.EnsureIndex("deviceId");
        _incidents.EnsureIndex("status");
        _incidents.EnsureIndex("category");
        _incidents.EnsureIndex("severity");
        _incidents.EnsureIndex("userTag");
        _incidents.EnsureIndex("occurredAt");
        FillClearFields();
        lock (_write)
        {
            _screenshots.MoveIntoFiles(_incidents);
        }
    }

    /// <summary>The collection of the incidents' clear fields, which the workflow store updates too.</summary>
    internal const string IncidentsCollection = "incidents";

    public async Task<AddOutcome> AddAsync(StoredIncident incident, byte[]? screenshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var i = incident.Incident;
        var document = new BsonDocument
        {
            ["_id"] = incident.Id,
            ["schoolId"] = i.SchoolId,
            ["deviceId"] = i.DeviceId,
            ["status"] = incident.Status,
            ["category"] = i.Category,
            ["severity"] = i.Severity,
            ["occurredAt"] = Bson.Time(i.OccurredAt),
            ["receivedAt"] = Bson.Time(incident.ReceivedAt),
            ["ruleId"] = i.RuleId,
            ["userTag"] = UserTag(i.SchoolId, i.UserId),
        };
        var contents = new IncidentContents(i with { Screenshot = null }, incident.ServerSeenAddress, screenshot is not null);
        var blob = await _periods.EncryptAsync(i.SchoolId, incident.ReceivedAt, JsonSerializer.SerializeToUtf8Bytes(contents, StorageJson.Default.IncidentContents),
            ContentsPurpose(document), cancellationToken);
        var sealedScreenshot = screenshot is null ? null
            : await _periods.EncryptAsync(i.SchoolId, incident.ReceivedAt, screenshot, ScreenshotPurpose(incident.Id), cancellationToken);

        var sealedScreenshotFile = sealedScreenshot is null ? null : new ScreenshotToFile(incident.Id, i.SchoolId, incident.ReceivedAt, sealedScreenshot);
        return await _adds.AddAsync(new Addition(document, blob, sealedScreenshotFile), cancellationToken);
    }

    private sealed record Addition(BsonDocument Incident, byte[] Contents, ScreenshotToFile? Screenshot);

    // The incidents that arrive together go in one transaction (GroupCommit): LiteDB writes every page a commit touched to its
    // log, whole, and incidents side by side share their index and data pages, and one commit's log write. Their screenshots
    // go to the files first, fsynced there (once a segment), so that the commit never records a screenshot that is not on
    // disk; a stop between the two leaves records nothing references, encrypted, which go with their month's segments.
    private Task<IReadOnlyList<AddOutcome>> AddBatch(IReadOnlyList<Addition> additions)
    {
        var outcomes = new AddOutcome[additions.Count];
        lock (_write)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (var n = 0; n < additions.Count; n++)
            {
                var id = additions[n].Incident["_id"].AsString;
                outcomes[n] = !ids.Add(id) || _incidents.Exists("_id = @0", id) ? AddOutcome.Duplicate : AddOutcome.Added;
            }

            var toFile = additions.Where((a, n) => outcomes[n] == AddOutcome.Added && a.Screenshot is not null).Select(a => a.Screenshot!).ToList();
            var locations = toFile.Count == 0 ? [] : _screenshots.Files.Append(toFile);
            var filed = toFile.Select(s => s.IncidentId).Zip(locations).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
            _database.BeginTrans();
            try
            {
                for (var n = 0; n < additions.Count; n++)
                {
                    if (outcomes[n] != AddOutcome.Added)
                    {
                        continue;
                    }

                    var (document, contents, _) = additions[n];
                    var id = document["_id"].AsString;
                    if (filed.TryGetValue(id, out var location))
                    {
                        _screenshots.Insert(id, location);
                    }

                    _contents.Insert(new BsonDocument { ["_id"] = id, ["blob"] = contents });
                    _incidents.Insert(document);
                }

                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }

        return Task.FromResult<IReadOnlyList<AddOutcome>>(outcomes);
    }

    public Task<string?> FindDeviceAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_incidents.FindById(id)?["deviceId"].AsString);

    public async Task<StoredIncident?> GetAsync(string id, CancellationToken cancellationToken) =>
        _incidents.FindById(id) is { } document ? await OpenAsync(document, cancellationToken) : null;

    public async Task<IReadOnlyList<StoredIncident>> ListAsync(IncidentFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = Filtered(filter);
        if (filter.Priority)
        {
            if (filter.After is { } after)
            {
                query = query.Where("($.severity < @0 OR ($.severity = @0 AND $._id > @1))", after.Severity, after.Id);
            }

            // LiteDB 5 orders by one expression: severity descending, then the ID ascending, folded into one sortable key.
            query = query.OrderBy("STRING(10 - $.severity) + $._id");
        }
        else
        {
            if (filter.After is { } after)
            {
                query = query.Where("$._id < @0", after.Id);
            }

            query = query.OrderByDescending("$._id");
        }

        var page = new List<StoredIncident>();
        foreach (var document in query.Limit(filter.Limit).ToList())
        {
            page.Add(await OpenAsync(document, cancellationToken));
        }

        return page;
    }

    public Task<int> CountAsync(IncidentFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Task.FromResult(Filtered(filter).Count());
    }

    public Task<IReadOnlyList<IncidentFacts>> ListFactsAsync(IncidentFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        IReadOnlyList<IncidentFacts> facts = [.. Filtered(filter).ToList().Select(d => new IncidentFacts(
            d["_id"].AsString, d["schoolId"].AsString, d["category"].AsString, d["severity"].AsInt32, Bson.Text(d["ruleId"]) ?? "",
            Bson.Time(d["occurredAt"]), Bson.Time(d["receivedAt"]), d["status"].AsString, Bson.Text(d["outcome"]),
            Bson.Text(d["noActionReason"]), OptionalTime(d["firstDecidedAt"]), OptionalTime(d["acknowledgedAt"]), OptionalTime(d["alertRaisedAt"])))];
        return Task.FromResult(facts);
    }

    private ILiteQueryable<BsonDocument> Filtered(IncidentFilter filter)
    {
        var query = _incidents.Query();
        if (filter.SchoolIds is { } schools)
        {
            query = schools.Count == 1
                ? query.Where("$.schoolId = @0", schools.First())
                : query.Where("$.schoolId IN @0", new BsonArray(schools.Select(s => new BsonValue(s))));
        }

        if (filter.Statuses is { } statuses)
        {
            query = query.Where("$.status IN @0", new BsonArray(statuses.Select(s => new BsonValue(s))));
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

        if (filter.User is { } user)
        {
            query = query.Where("$.userTag = @0", UserTag(user.SchoolId, user.UserId));
        }

        if (filter.From is { } from)
        {
            query = query.Where("$.occurredAt >= @0", Bson.Time(from));
        }

        if (filter.Until is { } until)
        {
            query = query.Where("$.occurredAt < @0", Bson.Time(until));
        }

        return query;
    }

    public async Task<byte[]?> GetScreenshotAsync(string id, CancellationToken cancellationToken) =>
        _incidents.FindById(id) is { } clear && _screenshots.Read(id) is { } blob
            ? await _periods.DecryptAsync(clear["schoolId"].AsString, Bson.Time(clear["receivedAt"]), blob, ScreenshotPurpose(id), cancellationToken)
            : null;

    public Task<long> CountAsync(CancellationToken cancellationToken) => Task.FromResult(_incidents.LongCount());

    public Task<IReadOnlyList<string>> DeleteReceivedBeforeAsync(string schoolId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_write)
        {
            var ids = _incidents.Find(Query.And(Query.EQ("schoolId", schoolId), Query.LT("receivedAt", Bson.Time(before))))
                .Select(d => d["_id"]).ToList();
            if (ids.Count == 0)
            {
                return Task.FromResult<IReadOnlyList<string>>([]);
            }

            // The screenshots' records are zeroed (and that fsynced) before the commit that forgets them, so a deleted incident
            // never leaves its screenshot's bytes behind; were the commit to fail, the incidents stay without their screenshots
            // and the next sweep deletes them. Segments nothing references any more go after the commit.
            var screenshots = _screenshots.LocationsOf(ids);
            _screenshots.Files.ZeroOut(screenshots);
            _database.BeginTrans();
            try
            {
                var jobs = _database.GetCollection("jobs");
                foreach (var id in ids)
                {
                    _screenshots.Delete(id);
                    _contents.Delete(id);
                    _database.GetCollection("incident_workflow").Delete(id);
                    jobs.DeleteMany(Query.EQ("incidentId", id));
                    _incidents.Delete(id);
                }

                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }

            _screenshots.RemoveUnreferenced(screenshots);
            IReadOnlyList<string> deleted = [.. ids.Select(id => id.AsString).Order(StringComparer.Ordinal)];
            return Task.FromResult(deleted);
        }
    }

    private async Task<StoredIncident> OpenAsync(BsonDocument document, CancellationToken cancellationToken)
    {
        var id = document["_id"].AsString;
        var blob = _contents.FindById(id)?["blob"].AsBinary
            ?? throw new InvalidOperationException($"The contents of incident {id} are missing from the database.");
        var plaintext = await _periods.DecryptAsync(document["schoolId"].AsString, Bson.Time(document["receivedAt"]), blob, ContentsPurpose(document),
            cancellationToken);
        var contents = JsonSerializer.Deserialize(plaintext, StorageJson.Default.IncidentContents)
            ?? throw new InvalidOperationException($"The contents of incident {id} are empty.");
        return new StoredIncident(contents.Incident, Bson.Time(document["receivedAt"]), contents.ServerSeenAddress,
            document["status"].AsString, contents.HasScreenshot)
        {
            AlertOpen = document["alertOpen"] is { IsBoolean: true } open && open.AsBoolean,
        };
    }

    private static DateTimeOffset? OptionalTime(BsonValue value) => value.IsNull ? null : Bson.Time(value);

    private string UserTag(string schoolId, string userId) => BlobPurposes.UserTag(_cipher, schoolId, userId);

    // Incidents stored before the rule ID and the user tag were clear fields get them once, from their contents.
    private void FillClearFields()
    {
        foreach (var document in _incidents.Find("$.userTag = null").ToList())
        {
            // Blobs this old were made with the data key, which opens them without a store round trip.
            var incident = OpenAsync(document, CancellationToken.None).GetAwaiter().GetResult().Incident;
            document["ruleId"] = incident.RuleId;
            document["userTag"] = UserTag(incident.SchoolId, incident.UserId);
            _incidents.Update(document);
        }
    }

    internal static string ContentsPurpose(BsonDocument d) => BlobPurposes.IncidentContents(d["_id"].AsString, d["schoolId"].AsString,
        d["deviceId"].AsString, d["category"].AsString, d["severity"].AsInt32, d["occurredAt"].AsInt64, d["receivedAt"].AsInt64);

    internal static string ScreenshotPurpose(string id) => BlobPurposes.Screenshot(id);
}
