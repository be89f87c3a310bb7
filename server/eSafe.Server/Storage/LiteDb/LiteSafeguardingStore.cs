using eSafe.Server.Escalation;
using eSafe.Server.Security;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>A school's contacts, protocol and report password: one encrypted record a school, with a version.</summary>
public sealed class LiteSafeguardingStore : ISafeguardingStore
{
    private readonly AtRestCipher _cipher;
    private readonly ILiteCollection<BsonDocument> _records;
    private readonly Lock _write = new();

    public LiteSafeguardingStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _cipher = data.Cipher;
        _records = LiteCollections.Open(data.Database, "safeguarding");
    }

    public Task<SafeguardingRecord> GetAsync(string schoolId, CancellationToken cancellationToken)
    {
        var document = _records.FindById(schoolId);
        if (document is null)
        {
            return Task.FromResult(new SafeguardingRecord(schoolId, 0, [], DefaultProtocol.Value, null, null));
        }

        var version = document["version"].AsInt32;
        var record = JsonSerializer.Deserialize(_cipher.Decrypt(document["blob"].AsBinary, Purpose(schoolId, version)),
            StorageJson.Default.SafeguardingRecord) ?? throw new InvalidOperationException($"The safeguarding record of {schoolId} is empty.");
        return Task.FromResult(record);
    }

    public Task<bool> SaveAsync(SafeguardingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_write)
        {
            var stored = _records.FindById(record.SchoolId)?["version"].AsInt32 ?? 0;
            if (stored != record.Version - 1)
            {
                return Task.FromResult(false);
            }

            _records.Upsert(new BsonDocument
            {
                ["_id"] = record.SchoolId,
                ["version"] = record.Version,
                ["blob"] = _cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(record, StorageJson.Default.SafeguardingRecord),
                    Purpose(record.SchoolId, record.Version)),
            });
        }

        return Task.FromResult(true);
    }

    internal static string Purpose(string schoolId, int version) => BlobPurposes.Safeguarding(schoolId, version);
}
