using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Devices;

/// <summary>
/// Listing and revoking enrolled devices, for the console and the CLI: limited to the caller's
/// <see cref="AccessScope"/> (analysts every school, a school's contact their own), audited. A revocation takes effect
/// in this process at once, in the others within <see cref="AuthenticatedDevices.RevocationBound"/> (the command line
/// has no <paramref name="authenticator"/>: it serves no devices).
/// </summary>
public sealed class DeviceManagement(ISchoolStore schools, IDeviceStore devices, IAuditLog audit, TimeProvider clock,
    DeviceAuthenticator? authenticator = null)
{
    public const int MaxReasonLength = 200;

    public sealed record Caller(string Actor, AccessScope Scope, string? RemoteAddress);

    public enum Outcome
    {
        Done,
        NotFound,
        Refused,
        Invalid,
    }

    /// <summary>The school's devices, oldest enrolment first; null (and a refusal audited) when the school is not in scope or unknown.</summary>
    public async Task<(Outcome Outcome, IReadOnlyList<DeviceInfo> Devices)> ListAsync(Caller caller, string schoolId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (await schools.GetAsync(schoolId, cancellationToken) is null)
        {
            return (Outcome.NotFound, []);
        }

        if (!caller.Scope.Includes(schoolId))
        {
            await AuditAsync(caller, AuditActions.DeviceAccessRefused, schoolId, "list", cancellationToken);
            return (Outcome.Refused, []);
        }

        var list = (await devices.ListAsync(schoolId, cancellationToken)).OrderBy(d => d.EnrolledAt).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(Info).ToList();
        await AuditAsync(caller, AuditActions.DevicesListed, schoolId, $"{list.Count} devices", cancellationToken);
        return (Outcome.Done, list);
    }

    /// <summary>Revokes a device in the caller's scope; a device revoked already is answered as it is (its first revocation stands).</summary>
    public async Task<(Outcome Outcome, DeviceInfo? Device, string? Problem)> RevokeAsync(Caller caller, string deviceId, string? reason,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var trimmed = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (trimmed is not null && (trimmed.Length > MaxReasonLength || !UntrustedText.IsSafe(trimmed)))
        {
            return (Outcome.Invalid, null, $"A reason must be at most {MaxReasonLength} characters of text on one line.");
        }

        var device = await devices.GetAsync(deviceId, cancellationToken);
        if (device is null)
        {
            return (Outcome.NotFound, null, null);
        }

        if (!caller.Scope.Includes(device.SchoolId))
        {
            await AuditAsync(caller, AuditActions.DeviceAccessRefused, device.SchoolId, "revoke " + device.Id, cancellationToken);
            return (Outcome.Refused, null, null);
        }

        if (device.Revoked is not null)
        {
            return (Outcome.Done, Info(device), null);
        }

        var revoked = await devices.RevokeAsync(device.Id, new DeviceRevocation(clock.GetUtcNow(), caller.Actor, trimmed), cancellationToken);
        authenticator?.Revoked(device.Id);
        await AuditAsync(caller, AuditActions.DeviceRevoked, device.SchoolId, device.Id + (trimmed is null ? "" : ": " + trimmed), cancellationToken);
        return (Outcome.Done, Info(revoked ?? device), null);
    }

    public static DeviceInfo Info(DeviceRecord device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new DeviceInfo(device.Id, device.SchoolId, device.MachineName, device.HostVersion, device.EnrolledAt, device.EnrolledFrom,
            device.Revoked?.At, device.Revoked?.By, device.Revoked?.Reason);
    }

    private async Task AuditAsync(Caller caller, string action, string schoolId, string detail, CancellationToken cancellationToken) =>
        await audit.AppendAsync(new AuditEvent(caller.Actor, action, SchoolId: schoolId, RemoteAddress: caller.RemoteAddress, Detail: detail), cancellationToken);
}
