using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// The audit log as a LiteDB collection keyed by sequence number. Each line carries the SHA-256 of itself
/// and the line before, so a line changed or removed in the file breaks the chain (<see cref="FindBreakAsync"/>).
/// </summary>
public sealed class LiteAuditLog : IAuditLog
{
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private readonly ILiteCollection<BsonDocument> _lines;
    private readonly TimeProvider _clock;
    private readonly Lock _append = new();
    private long _lastSequence;
    private string _lastHash = Genesis;

    public LiteAuditLog(DataFolder data, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(data);
        _clock = clock;
        _lines = data.Database.GetCollection("audit");
        _lines.EnsureIndex("incidentId");
        if (_lines.Query().OrderByDescending("$._id").Limit(1).FirstOrDefault() is { } last)
        {
            _lastSequence = last["_id"].AsInt64;
            _lastHash = last["hash"].AsString;
        }
    }

    public Task<AuditEntry> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        lock (_append)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(_clock.GetUtcNow().ToUnixTimeMilliseconds());
            var unhashed = new AuditEntry(_lastSequence + 1, at, auditEvent.Actor, auditEvent.Action, auditEvent.IncidentId,
                auditEvent.SchoolId, auditEvent.RemoteAddress, auditEvent.Detail, _lastHash, "");
            var entry = unhashed with { Hash = HashOf(unhashed) };
            _lines.Insert(new BsonDocument
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
            });
            _lastSequence = entry.Sequence;
            _lastHash = entry.Hash;
            return Task.FromResult(entry);
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ReadAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        IReadOnlyList<AuditEntry> lines = [.. _lines.Query().Where("$._id > @0", afterSequence).OrderBy("$._id").Limit(limit).ToList().Select(Read)];
        return Task.FromResult(lines);
    }

    public Task<long?> FindBreakAsync(CancellationToken cancellationToken)
    {
        var previous = Genesis;
        var expected = 1L;
        foreach (var entry in _lines.Query().OrderBy("$._id").ToEnumerable().Select(Read))
        {
            if (entry.Sequence != expected || entry.PreviousHash != previous || HashOf(entry) != entry.Hash)
            {
                return Task.FromResult<long?>(entry.Sequence);
            }

            previous = entry.Hash;
            expected++;
        }

        return Task.FromResult<long?>(null);
    }

    private static AuditEntry Read(BsonDocument d) => new(d["_id"].AsInt64, Bson.Time(d["at"]), d["actor"].AsString, d["action"].AsString,
        Bson.Text(d["incidentId"]), Bson.Text(d["schoolId"]), Bson.Text(d["remoteAddress"]), Bson.Text(d["detail"]),
        d["previousHash"].AsString, d["hash"].AsString);

    // Every field length-prefixed, so no two different lines hash the same text.
    private static string HashOf(AuditEntry e)
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
}
