using System.Globalization;
using eSafe.Contracts.Http;

namespace eSafe.Server.Fleet;

/// <summary>
/// One episode of one flag on one device, as a job's unique key: <c>fleet:{flag}:{deviceId}:{since, Unix ms}</c>. The same
/// silence (the same last heartbeat) or the same run of "host missing" (the same start) always makes the same key, so
/// however often and in however many processes the check runs, the job store lets each episode be planned once.
/// </summary>
public sealed record FleetAlertKey(string Flag, string DeviceId, DateTimeOffset Since)
{
    private const string Prefix = "fleet:";

    /// <summary>Longer than any key this server makes (a device ID is at most a few dozen characters).</summary>
    public const int MaxLength = 200;

    public static FleetAlertKey Of(FleetAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return new(alert.Flag, alert.DeviceId, alert.Since);
    }

    public override string ToString() => $"{Prefix}{Flag}:{DeviceId}:{Since.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The key of the email to one contact about this episode.</summary>
    public string ForContact(string contactId) => $"{this}:to:{contactId}";

    /// <summary>The episode a job's key names; null when it is not a fleet key.</summary>
    public static FleetAlertKey? Parse(string? key)
    {
        if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = key[Prefix.Length..].Split(':');
        return parts.Length >= 3 && parts[0] is FleetFlags.Silent or FleetFlags.HostMissing && parts[1].Length > 0
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? new FleetAlertKey(parts[0], parts[1], DateTimeOffset.FromUnixTimeMilliseconds(ms))
            : null;
    }
}
