using System.Text.Json.Serialization;

namespace eSafe.Contracts.Http;

/// <summary>How a device reports: through the native host, or the extension straight to the server (Chromebooks, or a PC whose host is missing).</summary>
public static class DeviceModes
{
    public const string Native = "native";
    public const string Direct = "direct";

    public static bool IsKnown(string? mode) => mode is Native or Direct;
}

/// <summary>
/// A device's heartbeat (docs/PROTOCOL.md, "Heartbeat"): what it runs, what it holds and how much waits to be sent.
/// <see cref="HostVersion"/> is null in direct mode; <see cref="HostMissing"/> says the extension found no host where it expected one.
/// The library versions are those the device scans with (null when it holds none: a direct-mode device is scanned by the server).
/// </summary>
public sealed record HeartbeatRequest(
    string? Mode,
    string? ExtensionVersion,
    string? HostVersion,
    string? GlobalLibraryVersion,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] int? SchoolLibraryVersion,
    int? Backlog,
    bool? HostMissing);

/// <summary>The server took the heartbeat; <see cref="NextInSeconds"/> is when it would like the next one.</summary>
public sealed record HeartbeatReceipt(DateTimeOffset ReceivedAt, int NextInSeconds);

/// <summary>The flags the console raises on a device.</summary>
public static class FleetFlags
{
    /// <summary>No heartbeat for more than the deployment's silent hours, counted in school time only.</summary>
    public const string Silent = "silent";

    /// <summary>The extension runs without its host on a machine that should have one: a sign of tampering.</summary>
    public const string HostMissing = "host-missing";
}

/// <summary>One enrolled device's health as the console's Devices view shows it; the heartbeat's fields are null until the first arrives.</summary>
public sealed record DeviceHealth(
    string DeviceId,
    string SchoolId,
    string MachineName,
    DateTimeOffset EnrolledAt,
    bool Revoked,
    DateTimeOffset? LastSeen,
    string? Mode,
    string? ExtensionVersion,
    string? HostVersion,
    string? GlobalLibraryVersion,
    int? SchoolLibraryVersion,
    int? Backlog,
    bool HostMissing,
    double SilentSchoolHours,
    IReadOnlyList<string> Flags);

/// <summary>A school's devices' health, and the rules the flags were raised by.</summary>
public sealed record FleetView(string SchoolId, DateTimeOffset At, double SilentAfterHours, string SchoolTime, IReadOnlyList<DeviceHealth> Devices);

/// <summary>
/// A flag raised on a device, for the console's device alerts: every school in the user's scope. <see cref="Key"/> names the
/// episode (what acknowledging it takes); <see cref="Acknowledgement"/> says who in the console acknowledged it, and when.
/// </summary>
public sealed record FleetAlert(string SchoolId, string SchoolName, string DeviceId, string MachineName, string Flag, DateTimeOffset Since,
    string? Key = null, Acknowledgement? Acknowledgement = null);
