using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Console accounts, keyed by the lower-cased username; passwords only as salted PBKDF2 hashes.</summary>
public sealed class LiteAnalystStore : IAnalystStore
{
    private readonly ILiteCollection<BsonDocument> _accounts;

    public LiteAnalystStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _accounts = LiteCollections.Open(data.Database, "accounts");
    }

    public Task<bool> AddAsync(AnalystAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var document = Write(account);
        lock (_accounts)
        {
            if (_accounts.Exists("_id = @0", document["_id"]))
            {
                return Task.FromResult(false);
            }

            _accounts.Insert(document);
        }

        return Task.FromResult(true);
    }

    public Task<AnalystAccount?> FindAsync(string username, CancellationToken cancellationToken) =>
        Task.FromResult(_accounts.FindById(Key(username)) is { } d ? Read(d) : null);

    public Task<bool> UpdateAsync(AnalystAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Task.FromResult(_accounts.Update(Write(account)));
    }

    public Task<IReadOnlyList<AnalystAccount>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<AnalystAccount> accounts = [.. _accounts.FindAll().Select(Read)];
        return Task.FromResult(accounts);
    }

    private static BsonDocument Write(AnalystAccount a) => new()
    {
        ["_id"] = Key(a.Username),
        ["username"] = a.Username,
        ["displayName"] = a.DisplayName,
        ["role"] = a.Role,
        ["schoolId"] = Bson.Text(a.SchoolId),
        ["passwordHash"] = a.PasswordHash,
        ["securityStamp"] = a.SecurityStamp,
        ["createdAt"] = Bson.Time(a.CreatedAt),
        ["qualifications"] = Bson.Text(a.Qualifications),
    };

    private static AnalystAccount Read(BsonDocument d) => new(d["username"].AsString, d["displayName"].AsString, d["role"].AsString,
        Bson.Text(d["schoolId"]), d["passwordHash"].AsString, d["securityStamp"].AsString, Bson.Time(d["createdAt"]))
    {
        Qualifications = Bson.Text(d["qualifications"]),
    };

    private static string Key(string username) => username.Trim().ToUpperInvariant();
}
