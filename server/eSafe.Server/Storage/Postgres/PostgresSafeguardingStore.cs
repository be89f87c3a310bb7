using eSafe.Server.Escalation;
using eSafe.Server.Security;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>A school's contacts, protocol and report password: one encrypted row a school, saved only on top of the version it was read at.</summary>
public sealed class PostgresSafeguardingStore(DataFolder data) : ISafeguardingStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly AtRestCipher _cipher = data.Cipher;

    public async Task<SafeguardingRecord> GetAsync(string schoolId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        var row = await connection.QueryFirstAsync("SELECT version, blob FROM safeguarding WHERE school_id = $1",
            r => new { Version = r.GetInt32(0), Blob = r.Bytes(1) }, cancellationToken, schoolId);
        if (row is null)
        {
            return new SafeguardingRecord(schoolId, 0, [], DefaultProtocol.Value, null, null);
        }

        return JsonSerializer.Deserialize(_cipher.Decrypt(row.Blob, BlobPurposes.Safeguarding(schoolId, row.Version)), StorageJson.Default.SafeguardingRecord)
            ?? throw new InvalidOperationException($"The safeguarding record of {schoolId} is empty.");
    }

    public async Task<bool> SaveAsync(SafeguardingRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var blob = _cipher.Encrypt(JsonSerializer.SerializeToUtf8Bytes(record, StorageJson.Default.SafeguardingRecord),
            BlobPurposes.Safeguarding(record.SchoolId, record.Version));
        await using var connection = await _db.OpenAsync(cancellationToken);
        // Version 1 is a first insert; any later one updates only the version before it: one statement either way.
        return await connection.ExecuteAsync("""
            INSERT INTO safeguarding AS s (school_id, version, blob) SELECT $1, $2, $3 WHERE $2 = 1
            ON CONFLICT (school_id) DO NOTHING
            """, cancellationToken, record.SchoolId, record.Version, blob) == 1
            || await connection.ExecuteAsync("UPDATE safeguarding SET version = $2, blob = $3 WHERE school_id = $1 AND version = $2 - 1",
                cancellationToken, record.SchoolId, record.Version, blob) == 1;
    }
}
