using eSafe.Server.Security;
using Npgsql;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Enrolled devices: the token's hash in the clear (it is only a hash), the machine name and enrolling address encrypted.</summary>
public sealed class PostgresDeviceStore(DataFolder data) : IDeviceStore
{
    private const string Columns = "id, school_id, token_hash, host_version, enrolled_ms, contents, revoked_ms, revoked_by, revoked_reason";
    private readonly PostgresDatabase _db = data.RequirePostgres();
    private readonly AtRestCipher _cipher = data.Cipher;

    public async Task AddAsync(DeviceRecord device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var contents = JsonSerializer.SerializeToUtf8Bytes(new DeviceContents(device.MachineName, device.EnrolledFrom), StorageJson.Default.DeviceContents);
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"INSERT INTO devices ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", cancellationToken,
            device.Id, device.SchoolId, device.TokenHash, device.HostVersion, Pg.Ms(device.EnrolledAt),
            _cipher.Encrypt(contents, BlobPurposes.Device(device.Id, device.SchoolId)),
            Pg.Ms(device.Revoked?.At), device.Revoked?.By, device.Revoked?.Reason);
    }

    public async Task<DeviceRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM devices WHERE id = $1", Read, cancellationToken, id);
    }

    public async Task<IReadOnlyList<DeviceRecord>> ListAsync(string schoolId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {Columns} FROM devices WHERE school_id = $1 ORDER BY id", Read, cancellationToken, schoolId);
    }

    public async Task<DeviceRecord?> RevokeAsync(string id, DeviceRevocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        await using (var connection = await _db.OpenAsync(cancellationToken))
        {
            // Conditional, so a second revocation (from this or another process) never overwrites the first.
            await connection.ExecuteAsync("UPDATE devices SET revoked_ms = $2, revoked_by = $3, revoked_reason = $4 WHERE id = $1 AND revoked_ms IS NULL",
                cancellationToken, id, Pg.Ms(revocation.At), revocation.By, revocation.Reason);
        }

        return await GetAsync(id, cancellationToken);
    }

    public async Task<long> RevokedCountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.ScalarAsync("SELECT count(*) FROM devices WHERE revoked_ms IS NOT NULL", cancellationToken);
    }

    private DeviceRecord Read(NpgsqlDataReader r)
    {
        var id = r.GetString(0);
        var schoolId = r.GetString(1);
        var contents = JsonSerializer.Deserialize(_cipher.Decrypt(r.Bytes(5), BlobPurposes.Device(id, schoolId)), StorageJson.Default.DeviceContents)
            ?? throw new InvalidOperationException($"The record of device {id} is empty.");
        return new DeviceRecord(id, schoolId, r.Bytes(2), contents.MachineName, r.GetString(3), r.Time(4), contents.EnrolledFrom,
            r.IsDBNull(6) ? null : new DeviceRevocation(r.Time(6), r.GetString(7), r.Text(8)));
    }
}
