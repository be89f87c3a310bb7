using eSafe.Server.Security;
using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Schools; each school's user-ID key is encrypted with the data key, its enrolment code kept only as a hash.</summary>
public sealed class LiteSchoolStore : ISchoolStore
{
    private readonly AtRestCipher _cipher;
    private readonly ILiteCollection<BsonDocument> _schools;

    public LiteSchoolStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _cipher = data.Cipher;
        _schools = data.Database.GetCollection("schools");
        _schools.EnsureIndex("enrolmentCodeHash", unique: true);
    }

    public Task AddAsync(SchoolRecord school, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(school);
        _schools.Insert(new BsonDocument
        {
            ["_id"] = school.Id,
            ["name"] = school.Name,
            ["userIdKey"] = _cipher.Encrypt(school.UserIdKey, KeyPurpose(school.Id)),
            ["enrolmentCodeHash"] = school.EnrolmentCodeHash,
            ["createdAt"] = Bson.Time(school.CreatedAt),
        });
        return Task.CompletedTask;
    }

    public Task<SchoolRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_schools.FindById(id) is { } d ? Read(d) : null);

    public Task<SchoolRecord?> FindByEnrolmentCodeHashAsync(string codeHash, CancellationToken cancellationToken) =>
        Task.FromResult(_schools.FindOne("$.enrolmentCodeHash = @0", codeHash) is { } d ? Read(d) : null);

    public Task<IReadOnlyList<SchoolRecord>> ListAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<SchoolRecord> schools = [.. _schools.FindAll().Select(Read).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
        return Task.FromResult(schools);
    }

    public Task<bool> SetEnrolmentCodeHashAsync(string id, string codeHash, CancellationToken cancellationToken)
    {
        var document = _schools.FindById(id);
        if (document is null)
        {
            return Task.FromResult(false);
        }

        document["enrolmentCodeHash"] = codeHash;
        return Task.FromResult(_schools.Update(document));
    }

    private SchoolRecord Read(BsonDocument d)
    {
        var id = d["_id"].AsString;
        return new SchoolRecord(id, d["name"].AsString, _cipher.Decrypt(d["userIdKey"].AsBinary, KeyPurpose(id)),
            d["enrolmentCodeHash"].AsString, Bson.Time(d["createdAt"]));
    }

    private static string KeyPurpose(string schoolId) => "school-user-id-key\n" + schoolId;
}
