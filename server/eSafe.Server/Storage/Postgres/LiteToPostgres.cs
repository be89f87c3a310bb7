using LiteDB;
using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// <c>esafe-server migrate</c>: every record of a LiteDB data folder copied into an empty PostgreSQL database, in one
/// transaction (all or nothing). Encrypted blobs are copied as they are: both stores bind them to the same fields
/// (<see cref="BlobPurposes"/>), so nothing is decrypted on the way and the same keys folder opens them afterwards.
/// Screenshots go into the database's rows, or into the target's folder of screenshot files when it has one.
/// </summary>
public static class LiteToPostgres
{
    /// <summary>One LiteDB collection and the table it goes to: the columns, and each document's values for them.</summary>
    private sealed record Copy(string Store, string Collection, string Table, string Columns, Func<BsonDocument, LiteDatabase, object?[]?> Values);

    private static readonly Copy[] Copies =
    [
        new("schools", "schools", "schools", "id, name, enrolment_code_hash, created_ms, retention_months",
            (d, _) => [Id(d), d["name"].AsString, d["enrolmentCodeHash"].AsString, Ms(d["createdAt"]),
                d["retentionMonths"].IsInt32 ? d["retentionMonths"].AsInt32 : null]),
        // Wrapped by the same data key in both stores, so they move as they are (destroyed ones as their tombstones).
        new("period keys", "period_keys", "period_keys", "school_id, period, wrapped, created_ms, destroyed_ms",
            (d, _) => [d["schoolId"].AsString, d["period"].AsString, d["wrapped"].IsBinary ? d["wrapped"].AsBinary : null, Ms(d["createdAt"]),
                OptionalMs(d["destroyedAt"])]),
        new("enrolment codes", "enrolment_codes", "enrolment_codes", "code_hash, school_id, max_uses, uses, issued_ms, expires_ms",
            (d, _) => [Id(d), d["schoolId"].AsString, d["maxUses"].AsInt32, d["uses"].AsInt32, Ms(d["issuedAt"]), Ms(d["expiresAt"])]),
        new("devices", "devices", "devices", "id, school_id, token_hash, host_version, enrolled_ms, contents, revoked_ms, revoked_by, revoked_reason",
            (d, _) => [Id(d), d["schoolId"].AsString, d["tokenHash"].AsBinary, d["hostVersion"].AsString, Ms(d["enrolledAt"]), d["contents"].AsBinary,
                OptionalMs(d["revokedAt"]), Text(d["revokedBy"]), Text(d["revokedReason"])]),
        new("accounts", "accounts", "accounts",
            "username_key, username, display_name, role, school_id, password_hash, security_stamp, created_ms, qualifications",
            (d, _) => [Id(d), d["username"].AsString, d["displayName"].AsString, d["role"].AsString, Text(d["schoolId"]), d["passwordHash"].AsString,
                d["securityStamp"].AsString, Ms(d["createdAt"]), Text(d["qualifications"])]),
        new("incidents", "incidents", "incidents",
            "id, school_id, device_id, status, category, severity, occurred_ms, received_ms, rule_id, user_tag, contents, workflow_version, workflow, "
            + "outcome, no_action_reason, first_decided_ms, alert_open, alert_tag, alert_raised_ms, acknowledged_ms",
            (d, db) =>
            {
                var id = Id(d);
                var contents = db.GetCollection("incident_contents").FindById(id)?["blob"].AsBinary
                    ?? throw new InvalidOperationException($"The contents of incident {id} are missing from the LiteDB file.");
                var version = d["workflowVersion"].IsInt32 ? d["workflowVersion"].AsInt32 : 0;
                var workflow = version == 0 ? null : db.GetCollection("incident_workflow").FindById(id)?["blob"].AsBinary;
                return [id, d["schoolId"].AsString, d["deviceId"].AsString, d["status"].AsString, d["category"].AsString, d["severity"].AsInt32,
                    Ms(d["occurredAt"]), Ms(d["receivedAt"]), Text(d["ruleId"]) ?? "", d["userTag"].AsString, contents, version, workflow,
                    Text(d["outcome"]), Text(d["noActionReason"]), OptionalMs(d["firstDecidedAt"]), d["alertOpen"].IsBoolean && d["alertOpen"].AsBoolean,
                    Text(d["alertTag"]), OptionalMs(d["alertRaisedAt"]), OptionalMs(d["acknowledgedAt"])];
            }),
        new("screenshots", "screenshots", "screenshots", "incident_id, blob", (d, _) => [Id(d), d["blob"].AsBinary]),
        new("audit lines", "audit", "audit", "seq, at_ms, actor, action, incident_id, school_id, remote_address, detail, previous_hash, hash",
            (d, _) => [d["_id"].AsInt64, Ms(d["at"]), d["actor"].AsString, d["action"].AsString, Text(d["incidentId"]), Text(d["schoolId"]),
                Text(d["remoteAddress"]), Text(d["detail"]), d["previousHash"].AsString, d["hash"].AsString]),
        new("school layers", "school_layers", "school_layers", "school_id, version, changed_ms, disabled",
            (d, _) => [Id(d), d["version"].AsInt32, Ms(d["changedAt"]), d["disabled"].AsArray.Select(v => v.AsString).ToArray()]),
        new("school entries", "school_entries", "school_entries", "school_id, entry_id, phrase, category, severity, language, exceptions, context",
            (d, _) => [d["schoolId"].AsString, d["id"].AsString, d["phrase"].AsString, d["category"].AsString, d["severity"].AsInt32, d["language"].AsString,
                d["exceptions"].AsArray.Select(v => v.AsString).ToArray(), LiteDb.LiteSchoolLibraryStore.Context(d)]),
        new("school entry history", "school_entry_history", "school_entry_history", "school_id, entry_id, category, severity, until_ms",
            (d, _) =>
            {
                // The entry's key is "SCHOOL/ENTRY"; school IDs have no slash.
                var entry = d["entry"].AsString;
                var slash = entry.IndexOf('/', StringComparison.Ordinal);
                return [entry[..slash], entry[(slash + 1)..], d["category"].AsString, d["severity"].AsInt32, Ms(d["until"])];
            }),
        new("safeguarding records", "safeguarding", "safeguarding", "school_id, version, blob", (d, _) => [Id(d), d["version"].AsInt32, d["blob"].AsBinary]),
        new("jobs", "jobs", "jobs",
            "id, kind, school_id, incident_id, decision, contact_id, step, unique_key, created_ms, due_ms, state, attempts, last_error, outcome, "
            + "completed_ms, lease_until_ms, leased_by",
            (d, _) => [Id(d), d["kind"].AsString, d["schoolId"].AsString, Text(d["incidentId"]), d["decision"].AsInt32, Text(d["contactId"]), d["step"].AsInt32,
                Text(d["uniqueKey"]), Ms(d["createdAt"]), Ms(d["dueAt"]), d["state"].AsString, d["attempts"].AsInt32, Text(d["lastError"]), Text(d["outcome"]),
                OptionalMs(d["completedAt"]), OptionalMs(d["leaseUntil"]), Text(d["leasedBy"])]),
        new("proposals", "proposals", "proposals", "id, state, blob", (d, _) => [Id(d), d["state"].AsString, d["blob"].AsBinary]),
        new("sessions", "sessions", "sessions", "id, username, ticket, started_ms, last_seen_ms",
            (d, _) => [Id(d), d["username"].AsString, d["ticket"].AsBinary, Ms(d["startedAt"]), Ms(d["lastSeenAt"])]),
        new("login throttle counters", "login_throttle", "login_throttle", "key, failures, window_start_ms, last_failure_ms, locked_until_ms",
            (d, _) => [Id(d), d["failures"].AsInt32, Ms(d["windowStart"]), Ms(d["lastFailure"]), OptionalMs(d["lockedUntil"])]),
        new("missed sentences", "missed", "missed_sentences", "id, school_id, received_ms, blob",
            (d, _) => [Id(d), d["school"].AsString, OptionalMs(d["received"]), d["blob"].AsBinary]),
        new("device heartbeats", "device_heartbeats", "device_heartbeats",
            "device_id, school_id, received_ms, mode, extension_version, host_version, global_library_version, school_library_version, backlog, "
            + "host_missing, host_missing_since_ms",
            (d, _) => [Id(d), d["schoolId"].AsString, Ms(d["receivedAt"]), d["mode"].AsString, d["extensionVersion"].AsString, Text(d["hostVersion"]),
                Text(d["globalLibraryVersion"]), d["schoolLibraryVersion"].IsNull ? null : d["schoolLibraryVersion"].AsInt32, d["backlog"].AsInt32,
                d["hostMissing"].AsBoolean, OptionalMs(d["hostMissingSince"])]),
        new("pending incidents", "pendingIncidents", "pending_incidents", "incident_id, device_id, school_id, created_ms, sealed",
            (d, _) => [Id(d), d["deviceId"].AsString, d["schoolId"].AsString, Ms(d["createdAt"]), d["sealed"].AsBinary]),
        new("device repeat filters", "deviceRepeats", "device_repeats", "device_id, seen", (d, _) => [Id(d), d["seen"].AsBinary]),
        // The data key check and the audit log's "keyed" marker: the database says which keys it was made with.
        new("key check", "meta", "meta", "id, blob, at_ms",
            (d, _) => [Id(d), d["blob"].IsBinary ? d["blob"].AsBinary : null, d["at"].IsInt64 ? d["at"].AsInt64 : null]),
    ];

    /// <summary>What was copied: for each store, how many records the LiteDB file had and how many the database has now.</summary>
    public sealed record StoreCount(string Store, long Source, long Target);

    /// <summary>
    /// Copies everything; the target must hold no eSafe data yet (its schema is made by opening it). Returns the counts per
    /// store, read back from both sides after the commit.
    /// </summary>
    public static async Task<IReadOnlyList<StoreCount>> RunAsync(DataFolder sourceFolder, DataFolder targetFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceFolder);
        ArgumentNullException.ThrowIfNull(targetFolder);
        var target = targetFolder.RequirePostgres();
        IScreenshotFiles? targetFiles = targetFolder.HasScreenshotFiles ? targetFolder.ScreenshotFiles : null;
        var source = sourceFolder.Database;
        var screenshots = new LiteDb.LiteScreenshots(source, sourceFolder.ScreenshotFiles);
        var unknown = source.GetCollectionNames().Except(Copies.Select(c => c.Collection).Concat(["incident_contents", "incident_workflow"]))
            .Where(c => source.GetCollection(c).LongCount() > 0).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"The LiteDB file holds records this command cannot move yet ({string.Join(", ", unknown)}): nothing was copied.");
        }

        await using (var connection = await target.OpenAsync(cancellationToken))
        {
            // meta already has the key check of the keys the target was opened with (the same keys, or opening it failed).
            foreach (var copy in Copies.Where(c => c.Table != "meta"))
            {
                if (await connection.ScalarAsync($"SELECT count(*) FROM {copy.Table}", cancellationToken) > 0)
                {
                    throw new InvalidOperationException($"The database already holds eSafe data ({copy.Table} is not empty): migrate into an empty database.");
                }
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var copy in Copies)
            {
                if (targetFiles is not null && copy.Collection == LiteDb.LiteScreenshots.Collection)
                {
                    await CopyScreenshotsToFilesAsync(source, screenshots, targetFiles, connection, cancellationToken);
                }
                else
                {
                    await CopyAsync(copy, source, screenshots, connection, cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var counts = new List<StoreCount>();
        await using (var connection = await target.OpenAsync(cancellationToken))
        {
            foreach (var copy in Copies)
            {
                // The target's tie to its folder of screenshots (if any) is its own, not a copied record.
                var where = copy.Table == "meta" ? $" WHERE id <> '{ScreenshotFolderBinding.MetaId}'" : "";
                counts.Add(new StoreCount(copy.Store, source.GetCollection(copy.Collection).LongCount(),
                    await connection.ScalarAsync($"SELECT count(*) FROM {copy.Table}{where}", cancellationToken)));
            }
        }

        return counts;
    }

    private static async Task CopyAsync(Copy copy, LiteDatabase source, LiteDb.LiteScreenshots screenshots, NpgsqlConnection connection,
        CancellationToken cancellationToken)
    {
        var columns = copy.Columns.Split(", ");
        var placeholders = string.Join(", ", columns.Select((_, i) => "$" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var sql = $"INSERT INTO {copy.Table} ({copy.Columns}) VALUES ({placeholders})" + (copy.Table == "meta" ? " ON CONFLICT (id) DO NOTHING" : "");
        // IDs first, then one document at a time: no LiteDB query stays open across an await (LiteDB's locks belong to a
        // thread, and the code after an await may run on another), and no collection is held in memory whole.
        var documents = source.GetCollection(copy.Collection);
        foreach (var id in documents.Query().Select("$._id").ToList().Select(d => d["_id"]))
        {
            // A screenshot's document says where its ciphertext is in the screenshot files: it is copied with the ciphertext inline.
            if (documents.FindById(id) is { } found && (copy.Collection == LiteDb.LiteScreenshots.Collection ? screenshots.Inline(found) : found) is var document
                && copy.Values(document, source) is { } values)
            {
                await connection.ExecuteAsync(sql, cancellationToken, values);
            }
        }
    }

    // Written to the target's files a batch at a time (fsynced there before the transaction that names them commits); a
    // migration that fails leaves records nothing names, encrypted, which go with their month. Screenshots from before month
    // keys (under the data key) go into the rows instead, where `keys re-encrypt` finds them when the data key is rotated.
    private static async Task CopyScreenshotsToFilesAsync(LiteDatabase source, LiteDb.LiteScreenshots screenshots, IScreenshotFiles files,
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var incidents = source.GetCollection(LiteDb.LiteIncidentStore.IncidentsCollection);
        var documents = source.GetCollection(LiteDb.LiteScreenshots.Collection);
        foreach (var batch in documents.Query().Select("$._id").ToList().Select(d => d["_id"]).Chunk(32))
        {
            var toFile = new List<ScreenshotToFile>();
            foreach (var id in batch)
            {
                if (documents.FindById(id) is not { } document || screenshots.Read(document) is not { } blob)
                {
                    continue;
                }

                if (!PeriodKeys.IsPeriodBlob(blob))
                {
                    await connection.ExecuteAsync("INSERT INTO screenshots (incident_id, blob) VALUES ($1, $2)", cancellationToken, id.AsString, blob);
                }
                else
                {
                    var incident = incidents.FindById(id) ?? throw new InvalidOperationException($"The screenshot of incident {id} has no incident in the LiteDB file.");
                    toFile.Add(new ScreenshotToFile(id.AsString, incident["schoolId"].AsString, LiteDb.Bson.Time(incident["receivedAt"]), blob));
                }
            }

            foreach (var (screenshot, location) in toFile.Zip(files.Append(toFile)))
            {
                await connection.ExecuteAsync("INSERT INTO screenshots (incident_id, segment, record_offset, length) VALUES ($1, $2, $3, $4)",
                    cancellationToken, screenshot.IncidentId, location.Segment, location.Offset, location.Length);
            }
        }
    }

    private static string Id(BsonDocument d) => d["_id"].AsString;

    private static long Ms(BsonValue value) => value.AsInt64;

    private static long? OptionalMs(BsonValue value) => value.IsNull ? null : value.AsInt64;

    private static string? Text(BsonValue value) => value.IsNull ? null : value.AsString;
}
