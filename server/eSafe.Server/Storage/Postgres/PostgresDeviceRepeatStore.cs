namespace eSafe.Server.Storage.Postgres;

/// <summary>Each Chromebook's recent hits as one row (<see cref="RepeatHits"/>); synchronous, as the repeat filter asks.</summary>
public sealed class PostgresDeviceRepeatStore(DataFolder data) : IDeviceRepeatStore
{
    private readonly PostgresDatabase _db = data.RequirePostgres();

    public IReadOnlyDictionary<UInt128, DateTimeOffset> Load(string deviceId)
    {
        using var connection = _db.Source.OpenConnection();
        using var command = connection.Sql("SELECT seen FROM device_repeats WHERE device_id = $1", deviceId);
        return command.ExecuteScalar() is byte[] bytes ? RepeatHits.Read(bytes) : new Dictionary<UInt128, DateTimeOffset>();
    }

    public void Save(string deviceId, IReadOnlyDictionary<UInt128, DateTimeOffset> seen)
    {
        var bytes = RepeatHits.Write(seen);
        using var connection = _db.Source.OpenConnection();
        using var command = connection.Sql("INSERT INTO device_repeats (device_id, seen) VALUES ($1, $2) ON CONFLICT (device_id) DO UPDATE SET seen = $2",
            deviceId, bytes);
        command.ExecuteNonQuery();
    }
}
