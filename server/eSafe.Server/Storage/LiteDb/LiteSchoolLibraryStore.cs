using eSafe.Detection;
using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// Schools' layers: one document a school (version, switched-off global IDs) and one an entry, changed
/// together in a transaction. Kept in the clear: a school's words are its configuration, not pupils' data.
/// </summary>
public sealed class LiteSchoolLibraryStore : ISchoolLibraryStore
{
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _layers;
    private readonly ILiteCollection<BsonDocument> _entries;
    private readonly ILiteCollection<BsonDocument> _history;
    private readonly Lock _write = new();

    public LiteSchoolLibraryStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _database = data.Database;
        _layers = LiteCollections.Open(_database, "school_layers");
        _entries = LiteCollections.Open(_database, "school_entries");
        _entries.EnsureIndex("schoolId");
        _history = LiteCollections.Open(_database, "school_entry_history");
        _history.EnsureIndex("entry");
    }

    public Task<SchoolLayerRecord> GetAsync(string schoolId, CancellationToken cancellationToken)
    {
        var layer = _layers.FindById(schoolId);
        IReadOnlyList<ThreatEntry> entries = [.. _entries.Find(Query.EQ("schoolId", schoolId)).Select(ReadEntry).OrderBy(e => e.Id, StringComparer.Ordinal)];
        return Task.FromResult(new SchoolLayerRecord(schoolId, layer?["version"].AsInt32 ?? 0,
            layer is null ? null : Bson.Time(layer["changedAt"]), entries,
            layer is null ? [] : [.. layer["disabled"].AsArray.Select(v => v.AsString).Order(StringComparer.Ordinal)]));
    }

    public Task<int> GetVersionAsync(string schoolId, CancellationToken cancellationToken) =>
        Task.FromResult(_layers.FindById(schoolId)?["version"].AsInt32 ?? 0);

    public Task<int> SaveEntryAsync(string schoolId, ThreatEntry entry, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Task.FromResult(Change(schoolId, at, _ =>
        {
            KeepHistory(schoolId, entry.Id, at);
            _entries.Upsert(new BsonDocument
            {
                ["_id"] = EntryKey(schoolId, entry.Id),
                ["schoolId"] = schoolId,
                ["id"] = entry.Id,
                ["phrase"] = entry.Phrase,
                ["category"] = entry.Category,
                ["severity"] = entry.Severity,
                ["language"] = entry.Language,
                ["exceptions"] = new BsonArray(entry.Exceptions.Select(e => new BsonValue(e))),
                ["context"] = entry.Context,
            });
            return true;
        })!.Value);
    }

    public Task<int?> RemoveEntryAsync(string schoolId, string entryId, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(Change(schoolId, at, _ =>
        {
            KeepHistory(schoolId, entryId, at);
            return _entries.Delete(EntryKey(schoolId, entryId));
        }));

    public Task<IReadOnlyList<RuleFacts>> EntryHistoryAsync(string schoolId, string entryId, CancellationToken cancellationToken)
    {
        var key = EntryKey(schoolId, entryId);
        var current = _entries.FindById(key);
        IReadOnlyList<RuleFacts> facts =
        [
            .. current is null ? [] : new[] { Facts(current) },
            .. _history.Find(Query.EQ("entry", key)).Select(Facts),
        ];
        return Task.FromResult(facts);
    }

    // Devices refresh their layer within minutes but may deliver days later: an entry's earlier category and
    // severity are kept (once each), so an incident made with an older layer is still recognised.
    private void KeepHistory(string schoolId, string entryId, DateTimeOffset at)
    {
        var key = EntryKey(schoolId, entryId);
        if (_entries.FindById(key) is not { } old)
        {
            return;
        }

        var facts = Facts(old);
        _history.Upsert(new BsonDocument
        {
            ["_id"] = key + "/" + facts.Category + "/" + facts.Severity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["entry"] = key,
            ["category"] = facts.Category,
            ["severity"] = facts.Severity,
            ["until"] = Bson.Time(at),
        });
    }

    private static RuleFacts Facts(BsonDocument d) => new(d["category"].AsString, d["severity"].AsInt32);

    public Task<int?> SetGlobalEntryOffAsync(string schoolId, string globalId, bool off, DateTimeOffset at, CancellationToken cancellationToken) =>
        Task.FromResult(Change(schoolId, at, layer =>
        {
            var disabled = layer["disabled"].AsArray;
            var index = disabled.IndexOf(new BsonValue(globalId));
            if (off == index >= 0)
            {
                return false;
            }

            if (off)
            {
                disabled.Add(globalId);
            }
            else
            {
                disabled.RemoveAt(index);
            }

            return true;
        }));

    // One change and the version bump, all or nothing; null (and nothing written) when the change changed nothing.
    private int? Change(string schoolId, DateTimeOffset at, Func<BsonDocument, bool> change)
    {
        lock (_write)
        {
            _database.BeginTrans();
            try
            {
                var layer = _layers.FindById(schoolId) ?? new BsonDocument { ["_id"] = schoolId, ["version"] = 0, ["disabled"] = new BsonArray() };
                if (!change(layer))
                {
                    _database.Rollback();
                    return null;
                }

                var version = layer["version"].AsInt32 + 1;
                layer["version"] = version;
                layer["changedAt"] = Bson.Time(at);
                _layers.Upsert(layer);
                _database.Commit();
                return version;
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
    }

    private static string EntryKey(string schoolId, string entryId) => schoolId + "/" + entryId;

    // An entry saved before entries had a context has no "context" field: it has none.
    private static ThreatEntry ReadEntry(BsonDocument d) => new(d["id"].AsString, d["phrase"].AsString, d["category"].AsString,
        d["severity"].AsInt32, d["language"].AsString, [.. d["exceptions"].AsArray.Select(v => v.AsString)], Context(d));

    internal static string Context(BsonDocument d) => d["context"].IsString ? d["context"].AsString : "";
}
