using System.Text;
using eSafe.Server.Security;
using Npgsql;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// <c>incidents</c> holds the fields queries need in the clear beside the encrypted contents (bound to those fields, as in
/// the LiteDB store); <c>screenshots</c> holds each screenshot encrypted, deleted with its incident.
/// </summary>
public sealed class PostgresIncidentStore(DataFolder data) : IIncidentStore
{
    private const string Columns = "id, school_id, device_id, status, category, severity, occurred_ms, received_ms, contents, alert_open";
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly AtRestCipher _cipher = data.Cipher;

    public async Task<AddOutcome> AddAsync(StoredIncident incident, byte[]? screenshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var i = incident.Incident;
        var occurred = Pg.Ms(i.OccurredAt);
        var received = Pg.Ms(incident.ReceivedAt);
        var contents = new IncidentContents(i with { Screenshot = null }, incident.ServerSeenAddress, screenshot is not null);
        var blob = _cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(contents, StorageJson.Default.IncidentContents),
            BlobPurposes.IncidentContents(i.Id, i.SchoolId, i.DeviceId, i.Category, i.Severity, occurred, received));
        var sealedScreenshot = screenshot is null ? null : _cipher.Encrypt(screenshot, BlobPurposes.Screenshot(i.Id));
        return await _db.InTransactionAsync(async connection =>
        {
            // A device deletes its copy on our 200: this commit waits for its WAL on disk even where the server was set up without.
            await connection.ExecuteAsync("SELECT set_config('synchronous_commit', 'on', true) WHERE current_setting('synchronous_commit') = 'off'",
                cancellationToken);
            var added = await connection.ExecuteAsync("""
                INSERT INTO incidents (id, school_id, device_id, status, category, severity, occurred_ms, received_ms, rule_id, user_tag, contents)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING
                """, cancellationToken, i.Id, i.SchoolId, i.DeviceId, incident.Status, i.Category, i.Severity, occurred, received, i.RuleId,
                BlobPurposes.UserTag(_cipher, i.SchoolId, i.UserId), blob);
            if (added == 0)
            {
                return AddOutcome.Duplicate;
            }

            if (sealedScreenshot is not null)
            {
                await connection.ExecuteAsync("INSERT INTO screenshots (incident_id, blob) VALUES ($1, $2)", cancellationToken, i.Id, sealedScreenshot);
            }

            return AddOutcome.Added;
        }, cancellationToken);
    }

    public async Task<string?> FindDeviceAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync("SELECT device_id FROM incidents WHERE id = $1", r => r.GetString(0), cancellationToken, id);
    }

    public async Task<StoredIncident?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM incidents WHERE id = $1", Open, cancellationToken, id);
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
        return await connection.QueryAsync($"SELECT {Columns} FROM incidents WHERE {where} ORDER BY {order} LIMIT ${args.Count}", Open,
            cancellationToken, [.. args]);
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
        var blob = await connection.QueryFirstAsync("SELECT blob FROM screenshots WHERE incident_id = $1", r => r.Bytes(0), cancellationToken, id);
        return blob is null ? null : _cipher.Decrypt(blob, BlobPurposes.Screenshot(id));
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

    private StoredIncident Open(NpgsqlDataReader r)
    {
        var id = r.GetString(0);
        var purpose = BlobPurposes.IncidentContents(id, r.GetString(1), r.GetString(2), r.GetString(4), r.GetInt32(5), r.GetInt64(6), r.GetInt64(7));
        var contents = JsonSerializer.Deserialize(_cipher.Decrypt(r.Bytes(8), purpose), StorageJson.Default.IncidentContents)
            ?? throw new InvalidOperationException($"The contents of incident {id} are empty.");
        return new StoredIncident(contents.Incident, r.Time(7), contents.ServerSeenAddress, r.GetString(3), contents.HasScreenshot)
        {
            AlertOpen = r.GetBoolean(9),
        };
    }
}
