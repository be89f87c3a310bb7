using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Failed-login counters as a LiteDB collection; see <see cref="ILoginThrottleStore"/>.</summary>
public sealed class LiteLoginThrottleStore : ILoginThrottleStore
{
    private readonly ILiteCollection<BsonDocument> _counters;
    private readonly LiteDatabase _database;

    public LiteLoginThrottleStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _database = data.Database;
        _counters = LiteCollections.Open(data.Database, "login_throttle");
        _counters.EnsureIndex("lastFailure");
    }

    public Task<ThrottleCounter?> GetAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_counters.FindById(key) is { } d ? Read(d) : null);

    public Task<ThrottleCounter> AddFailureAsync(string key, DateTimeOffset now, TimeSpan window, int lockAfter, TimeSpan lockFor,
        CancellationToken cancellationToken)
    {
        lock (_counters)
        {
            _database.BeginTrans();
            try
            {
                var found = _counters.FindById(key) is { } d ? Read(d) : null;
                var counter = ThrottleCounter.AfterFailure(found, key, now, window, lockAfter, lockFor);

                _counters.Upsert(Write(counter));
                _database.Commit();
                return Task.FromResult(counter);
            }
            catch
            {
                _database.Rollback();
                throw;
            }
        }
    }

    public Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _counters.Delete(key);
        return Task.CompletedTask;
    }

    public Task<int> RemoveStaleAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        Task.FromResult(_counters.DeleteMany(Query.And(Query.LT("lastFailure", Bson.Time(before)),
            Query.Or(Query.EQ("lockedUntil", BsonValue.Null), Query.LT("lockedUntil", Bson.Time(before))))));

    private static BsonDocument Write(ThrottleCounter c) => new()
    {
        ["_id"] = c.Key,
        ["failures"] = c.Failures,
        ["windowStart"] = Bson.Time(c.WindowStart),
        ["lastFailure"] = Bson.Time(c.LastFailure),
        ["lockedUntil"] = c.LockedUntil is { } until ? Bson.Time(until) : BsonValue.Null,
    };

    private static ThrottleCounter Read(BsonDocument d) => new(d["_id"].AsString, d["failures"].AsInt32, Bson.Time(d["windowStart"]),
        Bson.Time(d["lastFailure"]), d["lockedUntil"].IsNull ? null : Bson.Time(d["lockedUntil"]));
}
