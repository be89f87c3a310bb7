namespace eSafe.Server.Devices;

public static class DeviceLimits
{
    /// <summary>The largest sealed incident accepted: a 4 MB screenshot, base64 inside the incident, sealed and base64 again, fits.</summary>
    public const int MaxIncidentBytes = 8 * 1024 * 1024;

    public const int MaxEnrolmentBytes = 16 * 1024;
}
