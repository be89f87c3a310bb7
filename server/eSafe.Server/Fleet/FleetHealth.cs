using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Devices;
using eSafe.Server.Storage;

namespace eSafe.Server.Fleet;

/// <summary>
/// Devices' heartbeats and the flags read from them: "silent" (nothing for more than <see cref="FleetOptions.SilentAfterHours"/>
/// of school time since the last heartbeat, or since enrolment for a device that never sent one) and "host missing" (the
/// extension reports in direct mode because its host did not answer: the extension reports that only where a host belongs,
/// never on ChromeOS). Everything is read from the stores, so every server process sees the same flags.
/// </summary>
public sealed class FleetHealth(IFleetStore store, IDeviceStore devices, ISchoolStore schools, DeviceManagement management, FleetOptions options,
    TimeProvider clock)
{
    private readonly SchoolTime _schoolTime = options.SchoolTime();

    /// <summary>Keeps the heartbeat as the device's last; a run of "host missing" keeps the time it began.</summary>
    public async Task<HeartbeatReceipt> RecordAsync(DeviceRecord device, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(request);
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var hostMissing = request.HostMissing == true;
        var previous = hostMissing ? await store.GetAsync(device.Id, cancellationToken) : null;
        var since = hostMissing ? previous?.HostMissingSince ?? now : (DateTimeOffset?)null;
        await store.SaveAsync(new DeviceHeartbeat(device.Id, device.SchoolId, now, request.Mode!, request.ExtensionVersion!, request.HostVersion,
            request.GlobalLibraryVersion, request.SchoolLibraryVersion, request.Backlog!.Value, hostMissing, since), cancellationToken);
        return new HeartbeatReceipt(now, options.HeartbeatSeconds);
    }

    /// <summary>A school's devices with their health, for a caller whose scope includes it (listing is audited as the devices list is).</summary>
    public async Task<(DeviceManagement.Outcome Outcome, FleetView? View)> ViewAsync(DeviceManagement.Caller caller, string schoolId,
        CancellationToken cancellationToken)
    {
        var (outcome, list) = await management.ListAsync(caller, schoolId, cancellationToken);
        if (outcome != DeviceManagement.Outcome.Done)
        {
            return (outcome, null);
        }

        var now = clock.GetUtcNow();
        var beats = (await store.ListAsync(schoolId, cancellationToken)).ToDictionary(h => h.DeviceId, StringComparer.Ordinal);
        var health = list.Select(d => Health(d, beats.GetValueOrDefault(d.Id), now)).ToList();
        return (outcome, new FleetView(schoolId, now, options.SilentAfterHours, _schoolTime.Describe(), health));
    }

    /// <summary>The flags raised now on the devices of every school in <paramref name="scope"/>.</summary>
    public async Task<IReadOnlyList<FleetAlert>> AlertsAsync(AccessScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var alerts = new List<FleetAlert>();
        foreach (var school in await schools.ListAsync(cancellationToken))
        {
            if (scope.Includes(school.Id))
            {
                alerts.AddRange(await SchoolAlertsAsync(school.Id, school.Name, cancellationToken));
            }
        }

        return alerts;
    }

    /// <summary>The flags raised now on one school's devices (revoked devices raise none).</summary>
    public async Task<IReadOnlyList<FleetAlert>> SchoolAlertsAsync(string schoolId, string schoolName, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var beats = (await store.ListAsync(schoolId, cancellationToken)).ToDictionary(h => h.DeviceId, StringComparer.Ordinal);
        var alerts = new List<FleetAlert>();
        foreach (var device in await devices.ListAsync(schoolId, cancellationToken))
        {
            var beat = beats.GetValueOrDefault(device.Id);
            var health = Health(DeviceManagement.Info(device), beat, now);
            foreach (var flag in health.Flags)
            {
                var since = flag == FleetFlags.HostMissing ? beat!.HostMissingSince ?? beat.ReceivedAt : health.LastSeen ?? device.EnrolledAt;
                var alert = new FleetAlert(schoolId, schoolName, device.Id, device.MachineName, flag, since);
                alerts.Add(alert with { Key = FleetAlertKey.Of(alert).ToString() });
            }
        }

        return [.. alerts.OrderBy(a => a.Since).ThenBy(a => a.DeviceId, StringComparer.Ordinal)];
    }

    /// <summary>One device's health now, for the server's own use (no caller's scope); null for an unknown device.</summary>
    public async Task<DeviceHealth?> OfDeviceAsync(string deviceId, CancellationToken cancellationToken) =>
        await devices.GetAsync(deviceId, cancellationToken) is { } device
            ? Health(DeviceManagement.Info(device), await store.GetAsync(deviceId, cancellationToken), clock.GetUtcNow())
            : null;

    /// <summary>One device's health at <paramref name="now"/>.</summary>
    public DeviceHealth Health(DeviceInfo device, DeviceHeartbeat? heartbeat, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(device);
        var revoked = device.RevokedAt is not null;
        var silentHours = _schoolTime.HoursBetween(heartbeat?.ReceivedAt ?? device.EnrolledAt, now);
        List<string> flags = [];
        if (!revoked && silentHours > options.SilentAfterHours)
        {
            flags.Add(FleetFlags.Silent);
        }

        if (!revoked && heartbeat is { HostMissing: true })
        {
            flags.Add(FleetFlags.HostMissing);
        }

        return new DeviceHealth(device.Id, device.SchoolId, device.MachineName, device.EnrolledAt, revoked, heartbeat?.ReceivedAt, heartbeat?.Mode,
            heartbeat?.ExtensionVersion, heartbeat?.HostVersion, heartbeat?.GlobalLibraryVersion, heartbeat?.SchoolLibraryVersion, heartbeat?.Backlog,
            heartbeat?.HostMissing ?? false, Math.Round(silentHours, 2), flags);
    }
}
