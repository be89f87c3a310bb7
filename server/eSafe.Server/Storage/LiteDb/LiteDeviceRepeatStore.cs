using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Each Chromebook's recent hits as one document (<see cref="RepeatHits"/>).</summary>
public sealed class LiteDeviceRepeatStore : IDeviceRepeatStore
{
    private readonly ILiteCollection<BsonDocument> _repeats;

    public LiteDeviceRepeatStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _repeats = data.Database.GetCollection("deviceRepeats");
    }

    public IReadOnlyDictionary<UInt128, DateTimeOffset> Load(string deviceId) =>
        _repeats.FindById(deviceId)?["seen"] is { IsBinary: true } value ? RepeatHits.Read(value.AsBinary) : new Dictionary<UInt128, DateTimeOffset>();

    public void Save(string deviceId, IReadOnlyDictionary<UInt128, DateTimeOffset> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        _repeats.Upsert(new BsonDocument { ["_id"] = deviceId, ["seen"] = RepeatHits.Write(seen) });
    }
}
