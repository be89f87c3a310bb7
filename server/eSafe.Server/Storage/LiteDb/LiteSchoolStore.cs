using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Schools, each enrolment code kept only as a hash. No user-ID key: that is the school's alone.</summary>
public sealed class LiteSchoolStore : ISchoolStore
{
    private readonly ILiteCollection<BsonDocument> _schools;

    public LiteSchoolStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _schools = LiteCollections.Open(data.Database, "schools");
        _schools.EnsureIndex("enrolmentCodeHash", unique: true);
        ForgetUserIdKeys();
    }

    public Task AddAsync(SchoolRecord school, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(school);
        _schools.Insert(new BsonDocument
        {
            ["_id"] = school.Id,
            ["name"] = school.Name,
            ["enrolmentCodeHash"] = school.EnrolmentCodeHash,
            ["createdAt"] = Bson.Time(school.CreatedAt),
            ["retentionMonths"] = school.RetentionMonths is { } months ? new BsonValue(months) : BsonValue.Null,
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

    public Task<bool> SetRetentionMonthsAsync(string id, int? months, CancellationToken cancellationToken)
    {
        var document = _schools.FindById(id);
        if (document is null)
        {
            return Task.FromResult(false);
        }

        document["retentionMonths"] = months is { } m ? new BsonValue(m) : BsonValue.Null;
        return Task.FromResult(_schools.Update(document));
    }

    private static SchoolRecord Read(BsonDocument d) =>
        new(d["_id"].AsString, d["name"].AsString, d["enrolmentCodeHash"].AsString, Bson.Time(d["createdAt"]))
        {
            RetentionMonths = d["retentionMonths"].IsInt32 ? d["retentionMonths"].AsInt32 : null,
        };

    // Databases made before the key became the school's held one for each school: it opens, and the key goes.
    private void ForgetUserIdKeys()
    {
        foreach (var document in _schools.Find("$.userIdKey != null").ToList())
        {
            document.Remove("userIdKey");
            _schools.Update(document);
        }
    }
}
