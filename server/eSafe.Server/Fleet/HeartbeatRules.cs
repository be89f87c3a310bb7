using eSafe.Contracts.Http;
using eSafe.Server.Web;

namespace eSafe.Server.Fleet;

/// <summary>What a heartbeat must hold (docs/PROTOCOL.md, "Heartbeat"): every field checked, every problem named at once.</summary>
public static class HeartbeatRules
{
    public const int MaxVersionLength = 64;

    /// <summary>A backlog larger than any device keeps (the extension bounds its own at a few thousand events).</summary>
    public const int MaxBacklog = 10_000_000;

    public const int MaxBytes = 4 * 1024;

    public static Dictionary<string, string[]> Problems(HeartbeatRequest heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!DeviceModes.IsKnown(heartbeat.Mode))
        {
            errors["mode"] = [$"mode must be \"{DeviceModes.Native}\" or \"{DeviceModes.Direct}\"."];
        }

        if (!IsVersion(heartbeat.ExtensionVersion))
        {
            errors["extensionVersion"] = [VersionRule("extensionVersion")];
        }

        if (heartbeat.Mode == DeviceModes.Native && !IsVersion(heartbeat.HostVersion))
        {
            errors["hostVersion"] = [VersionRule("hostVersion") + " In native mode the host names its version."];
        }
        else if (heartbeat.Mode == DeviceModes.Direct && heartbeat.HostVersion is not null)
        {
            errors["hostVersion"] = ["hostVersion must be null in direct mode: no host takes part."];
        }

        if (heartbeat.GlobalLibraryVersion is not null && !IsVersion(heartbeat.GlobalLibraryVersion))
        {
            errors["globalLibraryVersion"] = [VersionRule("globalLibraryVersion") + " Or null when the device holds no library."];
        }

        if (heartbeat.SchoolLibraryVersion is < 0)
        {
            errors["schoolLibraryVersion"] = ["schoolLibraryVersion must be a whole number, 0 or more (or null)."];
        }

        if (heartbeat.Backlog is not (>= 0 and <= MaxBacklog))
        {
            errors["backlog"] = [$"backlog is required: the number of events or incidents waiting on the device, 0 to {MaxBacklog}."];
        }

        if (heartbeat.HostMissing is null)
        {
            errors["hostMissing"] = ["hostMissing is required: true when the extension found no host where it expected one."];
        }
        else if (heartbeat.HostMissing.Value && heartbeat.Mode == DeviceModes.Native)
        {
            errors["hostMissing"] = ["hostMissing cannot be true in native mode: a device without its host reports in direct mode."];
        }

        return errors;
    }

    private static bool IsVersion(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxVersionLength && UntrustedText.IsSafe(value) && !value.Any(char.IsWhiteSpace);

    private static string VersionRule(string field) => $"{field} must be 1 to {MaxVersionLength} characters without spaces or control characters.";
}
