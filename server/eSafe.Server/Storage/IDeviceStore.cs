namespace eSafe.Server.Storage;

public interface IDeviceStore
{
    Task AddAsync(DeviceRecord device, CancellationToken cancellationToken);

    Task<DeviceRecord?> GetAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<DeviceRecord>> ListAsync(string schoolId, CancellationToken cancellationToken);
}
