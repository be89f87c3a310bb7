namespace eSafe.Server.Devices;

public static class DeviceLimits
{
    /// <summary>The largest sealed incident accepted: a 4 MB screenshot, base64 inside the incident, sealed and base64 again, fits.</summary>
    public const int MaxIncidentBytes = 8 * 1024 * 1024;

    /// <summary>
    /// The largest version 2 (binary) envelope accepted: a 4 MB screenshot as its own bytes and the incident's JSON (its
    /// texts bounded: context 2 KB, URL 8 KB...) fit with room to spare.
    /// </summary>
    public const int MaxBinaryIncidentBytes = 4 * 1024 * 1024 + 256 * 1024;

    public const int MaxEnrolmentBytes = 16 * 1024;
}
