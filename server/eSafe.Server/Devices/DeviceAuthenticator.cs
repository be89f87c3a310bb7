using eSafe.Server.Security;
using eSafe.Server.Storage;
using Microsoft.Net.Http.Headers;

namespace eSafe.Server.Devices;

/// <summary>
/// Checks a device's bearer token (<c>&lt;deviceId&gt;.&lt;secret&gt;</c>) against the stored hash, in constant time, on
/// every request. The device's record comes from <see cref="AuthenticatedDevices"/>: from memory while no device was
/// revoked, so a revocation anywhere takes effect here within <see cref="AuthenticatedDevices.RevocationBound"/>.
/// </summary>
public sealed class DeviceAuthenticator(IDeviceStore devices, TimeProvider clock) : IDisposable
{
    private static readonly byte[] Decoy = Secrets.HashDeviceToken("decoy");
    private readonly AuthenticatedDevices _recent = new(devices, clock);

    /// <summary>The device the request's token belongs to, or null when there is no valid token or the device was revoked.</summary>
    public async Task<DeviceRecord?> AuthenticateAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        var deviceId = Secrets.DeviceIdOf(token);
        var device = deviceId is null ? null : await _recent.GetAsync(deviceId, request.HttpContext.RequestAborted);

        // Compare even when the device is unknown, so the answer takes the same time.
        var matches = Secrets.DeviceTokenMatches(token, device?.TokenHash ?? Decoy);
        return device is not null && matches && device.Revoked is null ? device : null;
    }

    /// <summary>A device this process has just revoked: refused here from its next request.</summary>
    public void Revoked(string deviceId) => _recent.Forget(deviceId);

    public void Dispose() => _recent.Dispose();
}
