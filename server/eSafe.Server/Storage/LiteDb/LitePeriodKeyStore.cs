using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>
/// Period keys in the <c>period_keys</c> collection, by "SCHOOL/PERIOD". A destroyed key is first overwritten with zeros
/// of its own length (so the page that held it is written over, not just freed), then checkpointed out of the log.
/// </summary>
public sealed class LitePeriodKeyStore : IPeriodKeyStore
{
    internal const string Collection = "period_keys";
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _keys;
    private readonly Lock _write = new();

    public LitePeriodKeyStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _database = data.Database;
        _keys = LiteCollections.Open(_database, Collection);
        _keys.EnsureIndex("schoolId");
    }

    public Task<PeriodKeyRecord?> GetAsync(string schoolId, string period, CancellationToken cancellationToken) =>
        Task.FromResult(_keys.FindById(Id(schoolId, period)) is { } d ? Read(d) : null);

    public Task<PeriodKeyRecord> AddIfMissingAsync(PeriodKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_write)
        {
            if (_keys.FindById(Id(key.SchoolId, key.Period)) is { } existing)
            {
                return Task.FromResult(Read(existing));
            }

            _keys.Insert(new BsonDocument
            {
                ["_id"] = Id(key.SchoolId, key.Period),
                ["schoolId"] = key.SchoolId,
                ["period"] = key.Period,
                ["wrapped"] = key.Wrapped is null ? BsonValue.Null : new BsonValue(key.Wrapped),
                ["createdAt"] = Bson.Time(key.CreatedAt),
                ["destroyedAt"] = key.DestroyedAt is { } at ? Bson.Time(at) : BsonValue.Null,
            });
            return Task.FromResult(key);
        }
    }

    public Task<IReadOnlyList<PeriodKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<PeriodKeyRecord> keys = [.. _keys.FindAll().Select(Read).OrderBy(k => k.SchoolId, StringComparer.Ordinal).ThenBy(k => k.Period, StringComparer.Ordinal)];
        return Task.FromResult(keys);
    }

    public Task<bool> DestroyAsync(string schoolId, string period, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_write)
        {
            var document = _keys.FindById(Id(schoolId, period));
            if (document is null || !document["wrapped"].IsBinary)
            {
                return Task.FromResult(false);
            }

            document["wrapped"] = new byte[document["wrapped"].AsBinary.Length];
            _keys.Update(document);
            document["wrapped"] = BsonValue.Null;
            document["destroyedAt"] = Bson.Time(at);
            _keys.Update(document);
            _database.Checkpoint();
            return Task.FromResult(true);
        }
    }

    public Task<bool> RewrapAsync(string schoolId, string period, byte[] wrapped, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        lock (_write)
        {
            var document = _keys.FindById(Id(schoolId, period));
            if (document is null || !document["wrapped"].IsBinary)
            {
                return Task.FromResult(false);
            }

            document["wrapped"] = wrapped;
            return Task.FromResult(_keys.Update(document));
        }
    }

    private static string Id(string schoolId, string period) => schoolId + "/" + period;

    private static PeriodKeyRecord Read(BsonDocument d) => new(d["schoolId"].AsString, d["period"].AsString,
        d["wrapped"].IsBinary ? d["wrapped"].AsBinary : null, Bson.Time(d["createdAt"]), d["destroyedAt"].IsNull ? null : Bson.Time(d["destroyedAt"]));
}
