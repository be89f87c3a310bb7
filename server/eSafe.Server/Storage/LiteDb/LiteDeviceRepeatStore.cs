using eSafe.Incidents.Pipeline;
using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Each Chromebook's recent hits as one document (<see cref="RepeatHits"/>); one process holds the file, so a lock makes a merge atomic.</summary>
public sealed class LiteDeviceRepeatStore : IDeviceRepeatStore
{
    private readonly ILiteCollection<BsonDocument> _repeats;
    private readonly Lock _merging = new();

    public LiteDeviceRepeatStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _repeats = LiteCollections.Open(data.Database, "deviceRepeats");
    }

    public IReadOnlyDictionary<UInt128, DateTimeOffset> Load(string deviceId) =>
        _repeats.FindById(deviceId)?["seen"] is { IsBinary: true } value ? RepeatHits.Read(value.AsBinary) : new Dictionary<UInt128, DateTimeOffset>();

    public void Merge(string deviceId, IReadOnlyDictionary<UInt128, DateTimeOffset> seen, DateTimeOffset forgetBefore)
    {
        ArgumentNullException.ThrowIfNull(seen);
        lock (_merging)
        {
            var merged = new Dictionary<UInt128, DateTimeOffset>(Load(deviceId));
            RepeatHitMerge.Merge(merged, seen, forgetBefore);
            _repeats.Upsert(new BsonDocument { ["_id"] = deviceId, ["seen"] = RepeatHits.Write(merged) });
        }
    }
}
