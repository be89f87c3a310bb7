using eSafe.Server.Security;
using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// The audit log as a table keyed by sequence, chained and anchored as <see cref="AuditChain"/> says. Nothing of the chain
/// lives in a process's memory: each append takes a transaction-scoped advisory lock, reads the last line and adds the
/// next, so any number of processes write one unbroken chain; lines a process is asked for at the same time share one such
/// transaction (<see cref="GroupCommit{TItem, TResult}"/>). The head is anchored every
/// <see cref="ServerOptions.AuditAnchorInterval"/> lines (by sequence, whichever process wrote it) and when a process stops,
/// in this machine's keys folder and in the database (keyed, so a database writer cannot make one), so that a check on any
/// machine sees the anchors of all.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IDisposable
{
    private const int LockClass = 0x6553_0001;
    private const string KeyedMarker = "audit-keyed";
    private const string InsertAnchor = "INSERT INTO audit_anchors (count, head, at_ms, mac) VALUES ($1, $2, $3, $4)";
    private const string Columns = "seq, at_ms, actor, action, incident_id, school_id, remote_address, detail, previous_hash, hash";
    private readonly PostgresDatabase _db;
    private readonly TimeProvider _clock;
    private readonly AuditChain _chain;
    private readonly int _anchorInterval;
    private readonly GroupCommit<AuditEvent, AuditEntry> _appends;
    private bool _appended;

    public PostgresAuditLog(DataFolder data, TimeProvider clock, ServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        _db = data.RequirePostgres();
        _clock = clock;
        _anchorInterval = Math.Max(1, options?.AuditAnchorInterval ?? 100);
        _appends = new GroupCommit<AuditEvent, AuditEntry>(AppendBatchAsync);
        using var connection = _db.Source.OpenConnection();
        bool keyed;
        using (var marker = connection.Sql("INSERT INTO meta (id, at_ms) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", KeyedMarker, Pg.Ms(clock.GetUtcNow())))
        {
            keyed = marker.ExecuteNonQuery() == 0;
        }

        using var count = connection.Sql("SELECT count(*) FROM audit");
        var empty = Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
        var key = LoadKey(data.KeysDirectory, mayCreate: !keyed || empty)
            ?? throw new ServerSetupException($"keys/{AuditKey.FileName} is missing but the audit log was keyed with it: restore the keys folder from its backup.");
        _chain = new AuditChain(key, new AuditAnchors(Path.Combine(data.KeysDirectory, AuditAnchors.FileName), key));
    }

    // Processes sharing a keys folder may start together on a new database: one makes the key, the others read it.
    private static AuditKey? LoadKey(string keysDirectory, bool mayCreate)
    {
        try
        {
            return AuditKey.Load(keysDirectory, mayCreate);
        }
        catch (IOException) when (mayCreate && File.Exists(Path.Combine(keysDirectory, AuditKey.FileName)))
        {
            return AuditKey.Load(keysDirectory, mayCreate: false);
        }
    }

    public Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return _appends.AddAsync(auditEvent, cancellationToken);
    }

    // One transaction for every line that arrived together (GroupCommit): the lock, the read of the head and the commit's
    // WAL flush are shared, so lines are not limited to one a flush while the lock is held across it.
    private async Task<IReadOnlyList<AuditEntry>> AppendBatchAsync(IReadOnlyList<AuditEvent> events)
    {
        var entries = await _db.InTransactionAsync(async connection =>
        {
            await connection.ExecuteAsync("SELECT pg_advisory_xact_lock($1, 0)", CancellationToken.None, LockClass);
            var last = await connection.QueryFirstAsync("SELECT seq, hash FROM audit ORDER BY seq DESC", r => new { Sequence = r.GetInt64(0), Hash = r.GetString(1) },
                CancellationToken.None);
            var (sequence, hash) = (last?.Sequence ?? 0, last?.Hash ?? AuditChain.Genesis);
            var lines = new List<AuditEntry>(events.Count);
            await using var batch = new NpgsqlBatch(connection);
            foreach (var auditEvent in events)
            {
                var next = _chain.Next(sequence, hash, _clock.GetUtcNow(), auditEvent);
                (sequence, hash) = (next.Sequence, next.Hash);
                lines.Add(next);
                batch.BatchCommands.Add(Pg.BatchCommand($"INSERT INTO audit ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    next.Sequence, Pg.Ms(next.At), next.Actor, next.Action, next.IncidentId, next.SchoolId, next.RemoteAddress, next.Detail,
                    next.PreviousHash, next.Hash));
            }

            await batch.ExecuteNonQueryAsync(CancellationToken.None);
            return lines;
        }, CancellationToken.None);
        _appended = true;

        // After the commit, so an anchor never names a line that was rolled back.
        foreach (var entry in entries.Where(e => e.Sequence % _anchorInterval == 0))
        {
            var anchor = _chain.Anchors.Append(entry.Sequence, entry.Hash, _clock.GetUtcNow());
            await using var connection = await _db.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(InsertAnchor, CancellationToken.None, anchor.Count, anchor.Head, Pg.Ms(anchor.At), anchor.Mac);
        }

        return entries;
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {Columns} FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2", Read, cancellationToken, afterSequence, limit);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"""
            SELECT {Columns} FROM audit
            WHERE seq > $1 AND ($2::text IS NULL OR action = $2) AND ($3::text IS NULL OR actor = $3)
              AND ($4::text IS NULL OR incident_id = $4 OR (action = $5 AND strpos(detail, $4) > 0))
            ORDER BY seq LIMIT $6
            """, Read, cancellationToken, query.After, query.Action, query.Actor, query.IncidentId, AuditActions.QueueRead, query.Limit);
    }

    public async Task<long?> FindBreakAsync(CancellationToken cancellationToken) => _chain.FindBreak(await AllAsync(cancellationToken));

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var lines = await AllAsync(cancellationToken);
        await using var connection = await _db.OpenAsync(cancellationToken);
        var anchors = await connection.QueryAsync("SELECT count, head, at_ms, mac FROM audit_anchors ORDER BY id",
            r => new AuditAnchor(r.GetInt64(0), r.GetString(1), r.Time(2), r.GetString(3)), cancellationToken);
        return _chain.Verify(lines, anchors);
    }

    /// <summary>Anchors the head when this process stops, if it wrote lines since the last anchor.</summary>
    public void Dispose()
    {
        if (!_appended)
        {
            return;
        }

        using var connection = _db.Source.OpenConnection();
        using var command = connection.Sql("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
        using var reader = command.ExecuteReader();
        if (reader.Read() && reader.GetInt64(0) > _chain.Anchors.LastCount())
        {
            var anchor = _chain.Anchors.Append(reader.GetInt64(0), reader.GetString(1), _clock.GetUtcNow());
            reader.Close();
            using var insert = connection.Sql(InsertAnchor, anchor.Count, anchor.Head, Pg.Ms(anchor.At), anchor.Mac);
            insert.ExecuteNonQuery();
        }
    }

    private async Task<List<AuditEntry>> AllAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {Columns} FROM audit ORDER BY seq", Read, cancellationToken);
    }

    private static AuditEntry Read(NpgsqlDataReader r) => new(r.GetInt64(0), r.Time(1), r.GetString(2), r.GetString(3), r.Text(4), r.Text(5), r.Text(6),
        r.Text(7), r.GetString(8), r.GetString(9));
}
