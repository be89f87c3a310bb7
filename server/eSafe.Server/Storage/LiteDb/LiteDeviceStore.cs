using eSafe.Server.Security;
using LiteDB;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace eSafe.Server.Storage.LiteDb;

/// <summary>Enrolled devices: the token's hash in the clear (it is only a hash), the machine name and enrolling address encrypted.</summary>
public sealed class LiteDeviceStore : IDeviceStore
{
    private readonly AtRestCipher _cipher;
    private readonly ILiteCollection<BsonDocument> _devices;

    public LiteDeviceStore(DataFolder data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _cipher = data.Cipher;
        _devices = LiteCollections.Open(data.Database, "devices");
        _devices.EnsureIndex("schoolId");
        _devices.EnsureIndex("revokedAt");
    }

    public Task AddAsync(DeviceRecord device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var contents = JsonSerializer.SerializeToUtf8Bytes(new DeviceContents(device.MachineName, device.EnrolledFrom), StorageJson.Default.DeviceContents);
        _devices.Insert(new BsonDocument
        {
            ["_id"] = device.Id,
            ["schoolId"] = device.SchoolId,
            ["tokenHash"] = device.TokenHash,
            ["hostVersion"] = device.HostVersion,
            ["enrolledAt"] = Bson.Time(device.EnrolledAt),
            ["contents"] = _cipher.Encrypt(contents, Purpose(device.Id, device.SchoolId)),
        });
        return Task.CompletedTask;
    }

    public Task<DeviceRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_devices.FindById(id) is { } d ? Read(d) : null);

    public Task<IReadOnlyList<DeviceRecord>> ListAsync(string schoolId, CancellationToken cancellationToken)
    {
        IReadOnlyList<DeviceRecord> devices = [.. _devices.Find(Query.EQ("schoolId", schoolId)).Select(Read)];
        return Task.FromResult(devices);
    }

    public Task<DeviceRecord?> RevokeAsync(string id, DeviceRevocation revocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        // Conditional, so a second revocation (from this or another process) never overwrites the first.
        _devices.UpdateMany(
            BsonExpression.Create("{ revokedAt: @0, revokedBy: @1, revokedReason: @2 }", Bson.Time(revocation.At), revocation.By, Bson.Text(revocation.Reason)),
            BsonExpression.Create("_id = @0 AND revokedAt = null", id));
        return GetAsync(id, cancellationToken);
    }

    // A range over the index: a device never revoked has no revokedAt, indexed as null, below every time.
    public Task<long> RevokedCountAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_devices.LongCount(Query.GT("revokedAt", BsonValue.Null)));

    private DeviceRecord Read(BsonDocument d)
    {
        var id = d["_id"].AsString;
        var schoolId = d["schoolId"].AsString;
        var contents = JsonSerializer.Deserialize(_cipher.Decrypt(d["contents"].AsBinary, Purpose(id, schoolId)), StorageJson.Default.DeviceContents)
            ?? throw new InvalidOperationException($"The record of device {id} is empty.");
        return new DeviceRecord(id, schoolId, d["tokenHash"].AsBinary, contents.MachineName, d["hostVersion"].AsString,
            Bson.Time(d["enrolledAt"]), contents.EnrolledFrom,
            d["revokedAt"].IsNull ? null : new DeviceRevocation(Bson.Time(d["revokedAt"]), d["revokedBy"].AsString, Bson.Text(d["revokedReason"])));
    }

    internal static string Purpose(string deviceId, string schoolId) => BlobPurposes.Device(deviceId, schoolId);
}
