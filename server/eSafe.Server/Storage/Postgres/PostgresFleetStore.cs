using Npgsql;

namespace eSafe.Server.Storage.Postgres;

/// <summary>Devices' last heartbeats, one row a device; versions and counts only, nothing personal.</summary>
public sealed class PostgresFleetStore(DataFolder data) : IFleetStore
{
    private const string Columns = "device_id, school_id, received_ms, mode, extension_version, host_version, global_library_version, "
        + "school_library_version, backlog, host_missing, host_missing_since_ms";

    private readonly PostgresDatabase _db = data.RequirePostgres();

    public async Task SaveAsync(DeviceHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        await using var connection = await _db.OpenAsync(cancellationToken);
        await connection.ExecuteAsync($"""
            INSERT INTO device_heartbeats ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (device_id) DO UPDATE SET school_id = $2, received_ms = $3, mode = $4, extension_version = $5, host_version = $6,
                global_library_version = $7, school_library_version = $8, backlog = $9, host_missing = $10, host_missing_since_ms = $11
            """, cancellationToken, heartbeat.DeviceId, heartbeat.SchoolId, Pg.Ms(heartbeat.ReceivedAt), heartbeat.Mode, heartbeat.ExtensionVersion,
            heartbeat.HostVersion, heartbeat.GlobalLibraryVersion, heartbeat.SchoolLibraryVersion, heartbeat.Backlog, heartbeat.HostMissing,
            Pg.Ms(heartbeat.HostMissingSince));
    }

    public async Task<DeviceHeartbeat?> GetAsync(string deviceId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryFirstAsync($"SELECT {Columns} FROM device_heartbeats WHERE device_id = $1", Read, cancellationToken, deviceId);
    }

    public async Task<IReadOnlyList<DeviceHeartbeat>> ListAsync(string schoolId, CancellationToken cancellationToken)
    {
        await using var connection = await _db.OpenAsync(cancellationToken);
        return await connection.QueryAsync($"SELECT {Columns} FROM device_heartbeats WHERE school_id = $1 ORDER BY device_id", Read,
            cancellationToken, schoolId);
    }

    private static DeviceHeartbeat Read(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.Time(2), r.GetString(3), r.GetString(4),
        r.Text(5), r.Text(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetInt32(8), r.GetBoolean(9), r.OptionalTime(10));
}
