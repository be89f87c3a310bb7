using eSafe.Incidents.Pipeline;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// Each Chromebook's recent hits as one row (<see cref="RepeatHits"/>); synchronous, as the repeat filter asks. A merge is
/// a compare-and-set on the row's bytes, tried again when another process changed them in between.
/// </summary>
public sealed class PostgresDeviceRepeatStore(DataFolder data) : IDeviceRepeatStore
{
    private const int MaxAttempts = 20;
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public IReadOnlyDictionary<UInt128, DateTimeOffset> Load(string deviceId)
    {
        using var connection = _db.Source.OpenConnection();
        return Read(connection, deviceId) is { } bytes ? RepeatHits.Read(bytes) : new Dictionary<UInt128, DateTimeOffset>();
    }

    public void Merge(string deviceId, IReadOnlyDictionary<UInt128, DateTimeOffset> seen, DateTimeOffset forgetBefore)
    {
        ArgumentNullException.ThrowIfNull(seen);
        using var connection = _db.Source.OpenConnection();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = Read(connection, deviceId);
            var merged = stored is null ? new Dictionary<UInt128, DateTimeOffset>() : RepeatHits.Read(stored);
            RepeatHitMerge.Merge(merged, seen, forgetBefore);
            var bytes = RepeatHits.Write(merged);
            using var command = stored is null
                ? connection.Sql("INSERT INTO device_repeats (device_id, seen) VALUES ($1, $2) ON CONFLICT (device_id) DO NOTHING", deviceId, bytes)
                : connection.Sql("UPDATE device_repeats SET seen = $2 WHERE device_id = $1 AND seen = $3", deviceId, bytes, stored);
            if (command.ExecuteNonQuery() == 1)
            {
                return;
            }
        }

        throw new StorageUnavailableException($"The repeat filter's hits of device {deviceId} kept changing under {MaxAttempts} attempts to save them.");
    }

    private static byte[]? Read(Npgsql.NpgsqlConnection connection, string deviceId)
    {
        using var command = connection.Sql("SELECT seen FROM device_repeats WHERE device_id = $1", deviceId);
        return command.ExecuteScalar() as byte[];
    }
}
