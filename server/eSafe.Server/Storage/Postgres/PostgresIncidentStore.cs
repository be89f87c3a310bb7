using System.Text;
using eSafe.Server.Security;
using Npgsql;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// <c>incidents</c> holds the fields queries need in the clear beside the encrypted contents (bound to those fields, as in
/// the LiteDB store); <c>screenshots</c> holds each screenshot encrypted, deleted with its incident: in the row, or where it is
/// in the server processes' shared screenshot files (<see cref="SharedScreenshotFiles"/>). Both are encrypted with the
/// school's key for the month the incident was received in (<see cref="PeriodKeys"/>).
/// </summary>
public sealed class PostgresIncidentStore(DataFolder data, PeriodKeys periods, TimeProvider clock) : IIncidentStore
{
    private const string Columns = "id, school_id, device_id, status, category, severity, occurred_ms, received_ms, contents, alert_open";
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly AtRestCipher _cipher = data.Cipher;
    private readonly SharedScreenshotFiles? _files = data.HasScreenshotFiles ? new SharedScreenshotFiles(data.ScreenshotFiles, clock) : null;

    public async Task<AddOutcome> AddAsync(StoredIncident incident, byte[]? screenshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var i = incident.Incident;
        var occurred = Pg.Ms(i.OccurredAt);
        var received = Pg.Ms(incident.ReceivedAt);
        var contents = new IncidentContents(i with { Screenshot = null }, incident.ServerSeenAddress, screenshot is not null);
        var blob = await periods.EncryptAsync(i.SchoolId, incident.ReceivedAt, JsonSerializer.SerializeToUtf8Bytes(contents, StorageJson.Default.IncidentContents),
            BlobPurposes.IncidentContents(i.Id, i.SchoolId, i.DeviceId, i.Category, i.Severity, occurred, received), cancellationToken);
        var sealedScreenshot = screenshot is null ? null
            : await periods.EncryptAsync(i.SchoolId, incident.ReceivedAt, screenshot, BlobPurposes.Screenshot(i.Id), cancellationToken);
        // In the files, the screenshot is on disk before the row that says where it is.
        var filed = sealedScreenshot is null || _files is null ? null
            : await _files.AppendAsync(new ScreenshotToFile(i.Id, i.SchoolId, incident.ReceivedAt, sealedScreenshot), cancellationToken);
        var inRow = filed is null ? sealedScreenshot : null;
        // One round trip, one implicit transaction (a batch ends in one Sync): the incident, its screenshot only when the incident
        // was new, and the commit. A device deletes its copy on our 200: the commit waits for its WAL on disk even where the server
        // was set up without (set_config local to this transaction).
        await using var connection = await _db.OpenAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Pg.BatchCommand("SELECT set_config('synchronous_commit', 'on', true) WHERE current_setting('synchronous_commit') = 'off'"));
        batch.BatchCommands.Add(Pg.BatchCommand("""
            WITH added AS (
                INSERT INTO incidents (id, school_id, device_id, status, category, severity, occurred_ms, received_ms, rule_id, user_tag, contents)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING RETURNING id),
            shot AS (INSERT INTO screenshots (incident_id, blob, segment, record_offset, length)
                SELECT id, $12::bytea, $13::text, $14::bigint, $15::integer FROM added WHERE $12::bytea IS NOT NULL OR $13::text IS NOT NULL)
            SELECT count(*) FROM added
            """, i.Id, i.SchoolId, i.DeviceId, incident.Status, i.Category, i.Severity, occurred, received, i.RuleId,
            BlobPurposes.UserTag(_cipher, i.SchoolId, i.UserId), blob, inRow, filed?.Segment, filed?.Offset, filed?.Length));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var added = await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) == 1;
        // Read to the server's ReadyForQuery, which it sends once the implicit transaction has committed (or with its error).
        await reader.CloseAsync();

        if (!added && filed is not null)
        {
            // A retry of an incident already stored: its second copy is referenced by nothing.
            _files!.ZeroOut([filed]);
        }

        return added ? AddOutcome.Added : AddOutcome.Duplicate;
    }

    public async Task<string?> FindDeviceAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync("SELECT device_id FROM incidents WHERE id = $1", r => r.GetString(0), cancellationToken, id);
    }

    public async Task<StoredIncident?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstAsync($"SELECT {Columns} FROM incidents WHERE id = $1", Read, cancellationToken, id);
        return row is null ? null : await OpenAsync(row, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredIncident>> ListAsync(IncidentFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, args) = Where(filter);
        string order;
        if (filter.Priority)
        {
            if (filter.After is { } after)
            {
                args.Add(after.Severity);
                args.Add(after.Id);
                where.Append($" AND (severity < ${args.Count - 1} OR (severity = ${args.Count - 1} AND id > ${args.Count}))");
            }

            order = "severity DESC, id";
        }
        else
        {
            if (filter.After is { } after)
            {
                args.Add(after.Id);
                where.Append($" AND id < ${args.Count}");
            }

            order = "id DESC";
        }

        args.Add(filter.Limit);
        await using var connection = await _db.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync($"SELECT {Columns} FROM incidents WHERE {where} ORDER BY {order} LIMIT ${args.Count}", Read,
            cancellationToken, [.. args]);
        var page = new List<StoredIncident>(rows.Count);
        foreach (var row in rows)
        {
            page.Add(await OpenAsync(row, cancellationToken));
        }

        return page;
    }

    public async Task<int> CountAsync(IncidentFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, args) = Where(filter);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return (int)await connection.ScalarAsync($"SELECT count(*) FROM incidents WHERE {where}", cancellationToken, [.. args]);
    }

    public async Task<IReadOnlyList<IncidentFacts>> ListFactsAsync(IncidentFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (where, args) = Where(filter);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"""
            SELECT id, school_id, category, severity, rule_id, occurred_ms, received_ms, status, outcome, no_action_reason,
                   first_decided_ms, acknowledged_ms, alert_raised_ms
            FROM incidents WHERE {where}
            """, r => new IncidentFacts(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetString(4), r.Time(5), r.Time(6),
            r.GetString(7), r.Text(8), r.Text(9), r.OptionalTime(10), r.OptionalTime(11), r.OptionalTime(12)), cancellationToken, [.. args]);
    }

    public async Task<byte[]?> GetScreenshotAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstAsync("""
            SELECT s.blob, i.school_id, i.received_ms, s.segment, s.record_offset, s.length
            FROM screenshots s JOIN incidents i ON i.id = s.incident_id WHERE s.incident_id = $1
            """, r => new { Blob = r.IsDBNull(0) ? null : r.Bytes(0), School = r.GetString(1), Received = r.Time(2), Location = Location(r, 3) },
            cancellationToken, id);
        if (row is null)
        {
            return null;
        }

        var blob = row.Blob ?? (_files ?? throw new InvalidOperationException($"Incident {id}'s screenshot is in the screenshot files, which this server was not given."))
            .Read(row.Location!, id);
        return blob is null ? null : await periods.DecryptAsync(row.School, row.Received, blob, BlobPurposes.Screenshot(id), cancellationToken);
    }

    private static ScreenshotLocation? Location(NpgsqlDataReader r, int first) =>
        r.IsDBNull(first) ? null : new ScreenshotLocation(r.GetString(first), r.GetInt64(first + 1), r.GetInt32(first + 2));

    public async Task<IReadOnlyList<string>> DeleteReceivedBeforeAsync(string schoolId, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var filed = new List<ScreenshotLocation>();
        var deleted = await _db.InTransactionAsync(async connection =>
        {
            if (_files is not null)
            {
                filed.AddRange(await connection.QueryAsync("""
                    SELECT s.segment, s.record_offset, s.length FROM screenshots s JOIN incidents i ON i.id = s.incident_id
                    WHERE i.school_id = $1 AND i.received_ms < $2 AND s.segment IS NOT NULL FOR UPDATE OF s
                    """, r => Location(r, 0)!, cancellationToken, schoolId, Pg.Ms(before)));
            }

            // Screenshots' rows go with their incidents (ON DELETE CASCADE); the workflow, decisions and alerts are columns of the row.
            var ids = await connection.QueryAsync("DELETE FROM incidents WHERE school_id = $1 AND received_ms < $2 RETURNING id", r => r.GetString(0),
                cancellationToken, schoolId, Pg.Ms(before));
            if (ids.Count > 0)
            {
                await connection.ExecuteAsync("DELETE FROM jobs WHERE incident_id = ANY($1)", cancellationToken, [ids.ToArray()]);
            }

            // Their records in the files are zeroed before the commit, as the LiteDB store does: no ciphertext outlives its incident.
            _files?.ZeroOut(filed);
            IReadOnlyList<string> ordered = [.. ids.Order(StringComparer.Ordinal)];
            return ordered;
        }, cancellationToken);

        if (_files is not null && filed.Count > 0)
        {
            using var connection = _db.Source.OpenConnection();
            _files.RemoveUnreferenced(filed, segment =>
            {
                using var command = connection.Sql("SELECT EXISTS (SELECT 1 FROM screenshots WHERE segment = $1)", segment);
                return (bool)command.ExecuteScalar()!;
            });
        }

        return deleted;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ScalarAsync("SELECT count(*) FROM incidents", cancellationToken);
    }

    private (StringBuilder Where, List<object?> Args) Where(IncidentFilter filter)
    {
        var where = new StringBuilder("true");
        var args = new List<object?>();
        void Add(string condition, object value)
        {
            args.Add(value);
            where.Append(" AND ").Append(condition.Replace("@", "$" + args.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        if (filter.SchoolIds is { } schools)
        {
            Add("school_id = ANY(@)", schools.ToArray());
        }

        if (filter.Statuses is { } statuses)
        {
            Add("status = ANY(@)", statuses.ToArray());
        }

        if (filter.Category is { } category)
        {
            Add("category = @", category);
        }

        if (filter.Severity is { } severity)
        {
            Add("severity = @", severity);
        }

        if (filter.MinSeverity is { } minSeverity)
        {
            Add("severity >= @", minSeverity);
        }

        if (filter.User is { } user)
        {
            Add("user_tag = @", BlobPurposes.UserTag(_cipher, user.SchoolId, user.UserId));
        }

        if (filter.From is { } from)
        {
            Add("occurred_ms >= @", Pg.Ms(from));
        }

        if (filter.Until is { } until)
        {
            Add("occurred_ms < @", Pg.Ms(until));
        }

        return (where, args);
    }

    // A row as read, opened after the reader is done (opening may look up the period's key).
    private sealed record Row(string Id, string SchoolId, string DeviceId, string Status, string Category, int Severity, long OccurredMs,
        long ReceivedMs, byte[] Contents, bool AlertOpen);

    private static Row Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5),
        r.GetInt64(6), r.GetInt64(7), r.Bytes(8), r.GetBoolean(9));

    private async Task<StoredIncident> OpenAsync(Row r, CancellationToken cancellationToken)
    {
        var purpose = BlobPurposes.IncidentContents(r.Id, r.SchoolId, r.DeviceId, r.Category, r.Severity, r.OccurredMs, r.ReceivedMs);
        var received = DateTimeOffset.FromUnixTimeMilliseconds(r.ReceivedMs);
        var contents = JsonSerializer.Deserialize(await periods.DecryptAsync(r.SchoolId, received, r.Contents, purpose, cancellationToken),
                StorageJson.Default.IncidentContents)
            ?? throw new InvalidOperationException($"The contents of incident {r.Id} are empty.");
        return new StoredIncident(contents.Incident, received, contents.ServerSeenAddress, r.Status, contents.HasScreenshot)
        {
            AlertOpen = r.AlertOpen,
        };
    }
}
