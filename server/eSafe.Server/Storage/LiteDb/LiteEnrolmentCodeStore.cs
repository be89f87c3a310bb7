using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Enrolment codes by hash, with their limits; a use is one conditional <c>UPDATE</c>.</summary>
public sealed class LiteEnrolmentCodeStore : IEnrolmentCodeStore
{
    private const string Collection = "enrolment_codes";
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _codes;

    public LiteEnrolmentCodeStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _database = data.Database;
        _codes = LiteCollections.Open(_database, Collection);
        _codes.EnsureIndex("schoolId");
    }

    public Task IssueAsync(EnrolmentCodeRecord code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        _database.BeginTrans();
        try
        {
            _codes.DeleteMany(Query.EQ("schoolId", code.SchoolId));
            _codes.Insert(new BsonDocument
            {
                ["_id"] = code.CodeHash,
                ["schoolId"] = code.SchoolId,
                ["maxUses"] = code.MaxUses,
                ["uses"] = code.Uses,
                ["issuedAt"] = Bson.Time(code.IssuedAt),
                ["expiresAt"] = Bson.Time(code.ExpiresAt),
            });
            _database.Commit();
        }
        catch
        {
            _database.Rollback();
            throw;
        }

        return Task.CompletedTask;
    }

    public Task<Redemption> RedeemAsync(string codeHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The check and the count in one statement: no reader can slip between them.
        using (var reader = _database.Execute(
                   $"UPDATE {Collection} SET uses = uses + 1 WHERE _id = @0 AND uses < maxUses AND expiresAt > @1",
                   codeHash, Bson.Time(now)))
        {
            if (reader.Read() && reader.Current.AsInt32 == 1)
            {
                return Task.FromResult(new Redemption(RedeemOutcome.Redeemed, _codes.FindById(codeHash)["schoolId"].AsString));
            }
        }

        var code = _codes.FindById(codeHash);
        return Task.FromResult(code is null ? new Redemption(RedeemOutcome.Unknown, null)
            : code["uses"].AsInt32 >= code["maxUses"].AsInt32 ? new Redemption(RedeemOutcome.UsedUp, code["schoolId"].AsString)
            : new Redemption(RedeemOutcome.Expired, code["schoolId"].AsString));
    }

    public Task<EnrolmentCodeRecord?> GetAsync(string codeHash, CancellationToken cancellationToken) =>
        Task.FromResult(_codes.FindById(codeHash) is { } d
            ? new EnrolmentCodeRecord(d["_id"].AsString, d["schoolId"].AsString, d["maxUses"].AsInt32, d["uses"].AsInt32,
                Bson.Time(d["issuedAt"]), Bson.Time(d["expiresAt"]))
            : null);
}
