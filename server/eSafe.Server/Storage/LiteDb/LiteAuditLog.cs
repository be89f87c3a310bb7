using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using eSafe.Server.Security;
using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// The audit log as a LiteDB collection keyed by sequence number. Each line's hash is an HMAC-SHA256, with the key
/// in keys/audit.key, of the line and the hash of the line before: a line changed, removed or inserted breaks the
/// chain, and without the key the chain cannot be recomputed. Every <see cref="ServerOptions.AuditAnchorInterval"/>
/// lines, and when the log is closed, the head is appended to keys/audit-anchors.log (<see cref="AuditAnchors"/>),
/// so lines cut from the end show too. <see cref="VerifyAsync"/> checks all of it (<see cref="AuditChain"/>).
/// The last sequence and hash are kept in this process's memory: right for LiteDB, which one process holds (the data
/// folder's lock); the PostgreSQL log reads them from the table under a lock instead.
/// </summary>
public sealed class LiteAuditLog : IAuditLog, IDisposable
{
    private const string Genesis = AuditChain.Genesis;
    private const string KeyedMarker = "audit-keyed";
    private readonly ILiteCollection<BsonDocument> _lines;
    private readonly TimeProvider _clock;
    private readonly AuditKey _key;
    private readonly AuditAnchors _anchors;
    private readonly AuditChain _chain;
    private readonly int _anchorInterval;
    private readonly Lock _append = new();
    private readonly LiteDatabase _database;
    private readonly GroupCommit<AuditEvent, AuditEntry> _appends;
    private long _lastSequence;
    private string _lastHash = Genesis;
    private long _lastAnchored;

    public LiteAuditLog(DataFolder data, TimeProvider clock, ServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        _clock = clock;
        _anchorInterval = Math.Max(1, options?.AuditAnchorInterval ?? 100);
        _database = data.Database;
        _appends = new GroupCommit<AuditEvent, AuditEntry>(AppendBatch);
        _lines = LiteCollections.Open(data.Database, "audit");
        _lines.EnsureIndex("incidentId");
        _lines.EnsureIndex("action");
        _lines.EnsureIndex("actor");
        var meta = data.Database.GetCollection("meta");
        var keyed = meta.FindById(KeyedMarker) is not null;
        var empty = _lines.Count() == 0;
        _key = AuditKey.Load(data.KeysDirectory, mayCreate: !keyed || empty)
            ?? throw new ServerSetupException($"keys/{AuditKey.FileName} is missing but the audit log was keyed with it: restore the keys folder from its backup.");
        _anchors = new AuditAnchors(Path.Combine(data.KeysDirectory, AuditAnchors.FileName), _key);
        _chain = new AuditChain(_key, _anchors);
        if (!keyed)
        {
            RekeyLegacyLines(data.Database);
            meta.Upsert(new BsonDocument { ["_id"] = KeyedMarker, ["at"] = Bson.Time(clock.GetUtcNow()) });
        }

        if (_lines.Query().OrderByDescending("$._id").Limit(1).FirstOrDefault() is { } last)
        {
            _lastSequence = last["_id"].AsInt64;
            _lastHash = last["hash"].AsString;
        }

        _lastAnchored = _anchors.LastCount();
    }

    public Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        return _appends.AddAsync(auditEvent, cancellationToken);
    }

    // The lines asked for together go in one LiteDB transaction (GroupCommit): LiteDB writes every page a commit touched to
    // its log, and lines side by side share their data and index pages.
    private Task<IReadOnlyList<AuditEntry>> AppendBatch(IReadOnlyList<AuditEvent> events)
    {
        lock (_append)
        {
            var entries = new List<AuditEntry>(events.Count);
            var (sequence, hash) = (_lastSequence, _lastHash);
            foreach (var auditEvent in events)
            {
                var entry = _chain.Next(sequence, hash, _clock.GetUtcNow(), auditEvent);
                (sequence, hash) = (entry.Sequence, entry.Hash);
                entries.Add(entry);
            }

            _database.BeginTrans();
            try
            {
                _lines.InsertBulk(entries.Select(Write));
                _database.Commit();
            }
            catch
            {
                _database.Rollback();
                throw;
            }

            (_lastSequence, _lastHash) = (sequence, hash);

            // Each line that completes an interval is anchored, as when lines came one at a time: where a batch ends must not
            // decide which lines an anchor names.
            foreach (var entry in entries)
            {
                if (entry.Sequence - _lastAnchored >= _anchorInterval)
                {
                    Anchor(entry.Sequence, entry.Hash);
                }
            }

            return Task.FromResult<IReadOnlyList<AuditEntry>>(entries);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<AuditEntry> lines = [.. _lines.Query().Where("$._id > @0", afterSequence).OrderBy("$._id").Limit(limit).ToList().Select(Read)];
        return Task.FromResult(lines);
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = _lines.Query().Where("$._id > @0", query.After);
        if (query.Action is not null)
        {
            q = q.Where("$.action = @0", query.Action);
        }

        if (query.Actor is not null)
        {
            q = q.Where("$.actor = @0", query.Actor);
        }

        if (query.IncidentId is not null)
        {
            q = q.Where("$.incidentId = @0 OR ($.action = @1 AND $.detail LIKE @2)", query.IncidentId, AuditActions.QueueRead, "%" + query.IncidentId + "%");
        }

        IReadOnlyList<AuditEntry> lines = [.. q.OrderBy("$._id").Limit(query.Limit).ToList().Select(Read)];
        return Task.FromResult(lines);
    }

    public Task<long?> FindBreakAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_chain.FindBreak(_lines.Query().OrderBy("$._id").ToEnumerable().Select(Read)));

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_chain.Verify(_lines.Query().OrderBy("$._id").ToEnumerable().Select(Read)));

    /// <summary>Anchors the head when the log closes (server shutdown, end of an admin command).</summary>
    public void Dispose()
    {
        lock (_append)
        {
            if (_lastSequence > _lastAnchored)
            {
                Anchor(_lastSequence, _lastHash);
            }
        }
    }

    private void Anchor(long sequence, string hash)
    {
        _anchors.Append(sequence, hash, _clock.GetUtcNow());
        _lastAnchored = sequence;
    }

    // Logs written before lines were keyed: checked against their old unkeyed chain, then chained again with the key, once,
    // with a line that says so. What was changed before this moment cannot be told apart any more, which the line records.
    private void RekeyLegacyLines(LiteDatabase database)
    {
        var legacy = _lines.Query().OrderBy("$._id").ToList().Select(Read).ToList();
        if (legacy.Count == 0)
        {
            return;
        }

        var previous = Genesis;
        var legacyPrevious = Genesis;
        long? broken = null;
        database.BeginTrans();
        foreach (var entry in legacy)
        {
            if (broken is null && (entry.PreviousHash != legacyPrevious || LegacyHashOf(entry) != entry.Hash))
            {
                broken = entry.Sequence;
            }

            legacyPrevious = entry.Hash;

            var rekeyed = entry with { PreviousHash = previous, Hash = "" };
            rekeyed = rekeyed with { Hash = HashOf(rekeyed) };
            _lines.Update(Write(rekeyed));
            previous = rekeyed.Hash;
        }

        database.Commit();
        _lastSequence = legacy[^1].Sequence;
        _lastHash = previous;
        AppendAsync(new AuditEvent("server", AuditActions.AuditKeyed, Detail: broken is null
            ? $"entries 1 to {legacy.Count} had an intact unkeyed chain and were keyed"
            : $"entries 1 to {legacy.Count} were keyed; their unkeyed chain was broken at entry {broken}"), CancellationToken.None).GetAwaiter().GetResult();
    }

    private string HashOf(AuditEntry e) => _chain.HashOf(e);

    private static string LegacyHashOf(AuditEntry e)
    {
        var text = new StringBuilder();
        foreach (var field in new[]
        {
            e.Sequence.ToString(CultureInfo.InvariantCulture), e.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            e.Actor, e.Action, e.IncidentId, e.SchoolId, e.RemoteAddress, e.Detail, e.PreviousHash,
        })
        {
            text.Append(field is null ? "-1" : field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static BsonDocument Write(AuditEntry entry) => new()
    {
        ["_id"] = entry.Sequence,
        ["at"] = Bson.Time(entry.At),
        ["actor"] = entry.Actor,
        ["action"] = entry.Action,
        ["incidentId"] = Bson.Text(entry.IncidentId),
        ["schoolId"] = Bson.Text(entry.SchoolId),
        ["remoteAddress"] = Bson.Text(entry.RemoteAddress),
        ["detail"] = Bson.Text(entry.Detail),
        ["previousHash"] = entry.PreviousHash,
        ["hash"] = entry.Hash,
    };

    private static AuditEntry Read(BsonDocument d) => new(d["_id"].AsInt64, Bson.Time(d["at"]), d["actor"].AsString, d["action"].AsString,
        Bson.Text(d["incidentId"]), Bson.Text(d["schoolId"]), Bson.Text(d["remoteAddress"]), Bson.Text(d["detail"]),
        d["previousHash"].AsString, d["hash"].AsString);
}
