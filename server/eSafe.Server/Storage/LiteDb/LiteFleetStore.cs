using LiteDB;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Devices' last heartbeats as a LiteDB collection keyed by device; versions and counts only, nothing personal.</summary>
public sealed class LiteFleetStore : IFleetStore
{
    private readonly ILiteCollection<BsonDocument> _heartbeats;

    public LiteFleetStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _heartbeats = LiteCollections.Open(data.Database, "device_heartbeats");
        _heartbeats.EnsureIndex("schoolId");
    }

    public Task SaveAsync(DeviceHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        _heartbeats.Upsert(Write(heartbeat));
        return Task.CompletedTask;
    }

    public Task<DeviceHeartbeat?> GetAsync(string deviceId, CancellationToken cancellationToken) =>
        Task.FromResult(_heartbeats.FindById(deviceId) is { } d ? Read(d) : null);

    public Task<IReadOnlyList<DeviceHeartbeat>> ListAsync(string schoolId, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeviceHeartbeat> list = [.. _heartbeats.Find(Query.EQ("schoolId", schoolId)).Select(Read)];
        return Task.FromResult(list);
    }

    private static BsonDocument Write(DeviceHeartbeat h) => new()
    {
        ["_id"] = h.DeviceId,
        ["schoolId"] = h.SchoolId,
        ["receivedAt"] = Bson.Time(h.ReceivedAt),
        ["mode"] = h.Mode,
        ["extensionVersion"] = h.ExtensionVersion,
        ["hostVersion"] = Bson.Text(h.HostVersion),
        ["globalLibraryVersion"] = Bson.Text(h.GlobalLibraryVersion),
        ["schoolLibraryVersion"] = h.SchoolLibraryVersion is { } v ? new BsonValue(v) : BsonValue.Null,
        ["backlog"] = h.Backlog,
        ["hostMissing"] = h.HostMissing,
        ["hostMissingSince"] = h.HostMissingSince is { } since ? Bson.Time(since) : BsonValue.Null,
    };

    private static DeviceHeartbeat Read(BsonDocument d) => new(
        d["_id"].AsString,
        d["schoolId"].AsString,
        Bson.Time(d["receivedAt"]),
        d["mode"].AsString,
        d["extensionVersion"].AsString,
        Bson.Text(d["hostVersion"]),
        Bson.Text(d["globalLibraryVersion"]),
        d["schoolLibraryVersion"].IsNull ? null : d["schoolLibraryVersion"].AsInt32,
        d["backlog"].AsInt32,
        d["hostMissing"].AsBoolean,
        d["hostMissingSince"].IsNull ? null : Bson.Time(d["hostMissingSince"]));
}
