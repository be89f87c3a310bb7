namespace eSafe.Server.Direct;

public static class DirectLimits
{
    /// <summary>The largest sealed batch: a few hundred events of ordinary typing and page text.</summary>
    public const int MaxBatchBytes = 2 * 1024 * 1024;

    public const int MaxBatchEvents = 200;

    /// <summary>The largest sealed screenshot: a 4 MB JPEG, base64 inside the JSON, sealed and base64 again, fits.</summary>
    public const int MaxScreenshotBytes = 8 * 1024 * 1024;

    /// <summary>How long an incident waits for its screenshot before it is stored without one.</summary>
    public static readonly TimeSpan ScreenshotWait = TimeSpan.FromSeconds(60);

    public const int MaxDeviceAddresses = 32;
}
