namespace eSafe.Server.Storage;

/// <summary>
/// The last heartbeat of each device (one record a device, replaced by the next), shared by every server process:
/// the console's Devices view and the fleet checks read it.
/// </summary>
public interface IFleetStore
{
    /// <summary>Keeps <paramref name="heartbeat"/> as its device's last, replacing the one before.</summary>
    Task SaveAsync(DeviceHeartbeat heartbeat, CancellationToken cancellationToken);

    Task<DeviceHeartbeat?> GetAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>The last heartbeat of each of the school's devices that sent one.</summary>
    Task<IReadOnlyList<DeviceHeartbeat>> ListAsync(string schoolId, CancellationToken cancellationToken);
}

/// <summary>
/// A device's last heartbeat as received. <see cref="HostMissingSince"/> is when the current run of "host missing"
/// heartbeats began (null while the host answers): it names the episode an alert is raised for.
/// </summary>
public sealed record DeviceHeartbeat(
    string DeviceId,
    string SchoolId,
    DateTimeOffset ReceivedAt,
    string Mode,
    string ExtensionVersion,
    string? HostVersion,
    string? GlobalLibraryVersion,
    int? SchoolLibraryVersion,
    int Backlog,
    bool HostMissing,
    DateTimeOffset? HostMissingSince);
