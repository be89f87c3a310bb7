namespace eSafe.Server.Storage;

public interface IDeviceStore
{
    Task AddAsync(DeviceRecord device, CancellationToken cancellationToken);

    Task<DeviceRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceRecord>> ListAsync(string schoolId, CancellationToken cancellationToken);

    /// <summary>Marks a device revoked (a device revoked already keeps its first revocation); the device as it is now, or null when unknown.</summary>
    Task<DeviceRecord?> RevokeAsync(string id, DeviceRevocation revocation, CancellationToken cancellationToken);

    /// <summary>
    /// How many devices are revoked: it only ever grows (a revocation is never undone, a device never deleted), so a change
    /// tells a process that caches authenticated devices to forget them (<c>Devices.AuthenticatedDevices</c>).
    /// </summary>
    Task<long> RevokedCountAsync(CancellationToken cancellationToken);
}
