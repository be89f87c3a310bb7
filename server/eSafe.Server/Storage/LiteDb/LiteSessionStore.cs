using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Console sessions as a LiteDB collection; see <see cref="ISessionStore"/>.</summary>
public sealed class LiteSessionStore : ISessionStore
{
    private readonly ILiteCollection<BsonDocument> _sessions;

    public LiteSessionStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _sessions = LiteCollections.Open(data.Database, "sessions");
        _sessions.EnsureIndex("username");
        _sessions.EnsureIndex("lastSeenAt");
        _sessions.EnsureIndex("startedAt");
    }

    public Task AddAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        _sessions.Insert(Write(session));
        return Task.CompletedTask;
    }

    public Task<SessionRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.FindById(id) is { } d ? Read(d) : null);

    public Task<bool> UpdateAsync(SessionRecord session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Task.FromResult(_sessions.Update(Write(session)));
    }

    public Task RemoveAsync(string id, CancellationToken cancellationToken)
    {
        _sessions.Delete(id);
        return Task.CompletedTask;
    }

    public Task<int> RemoveForAccountAsync(string username, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.DeleteMany(Query.EQ("username", username.ToLowerInvariant())));

    public Task<int> RemoveExpiredAsync(DateTimeOffset idleBefore, DateTimeOffset startedBefore, CancellationToken cancellationToken) =>
        Task.FromResult(_sessions.DeleteMany(Query.Or(Query.LT("lastSeenAt", Bson.Time(idleBefore)), Query.LT("startedAt", Bson.Time(startedBefore)))));

    private static BsonDocument Write(SessionRecord s) => new()
    {
        ["_id"] = s.Id,
        ["username"] = s.Username.ToLowerInvariant(),
        ["ticket"] = s.Ticket,
        ["startedAt"] = Bson.Time(s.StartedAt),
        ["lastSeenAt"] = Bson.Time(s.LastSeenAt),
    };

    private static SessionRecord Read(BsonDocument d) =>
        new(d["_id"].AsString, d["username"].AsString, d["ticket"].AsBinary, Bson.Time(d["startedAt"]), Bson.Time(d["lastSeenAt"]));
}
