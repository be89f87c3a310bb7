namespace eSafe.Incidents.Pipeline;

/// <summary>A screenshot of the tab the text was seen in, or why there is none.</summary>
public sealed record ScreenshotResult(byte[]? Jpeg, string? MissingReason)
{
    public static ScreenshotResult Missing(string reason) => new(null, reason);

    /// <summary>This result, or a missing one saying why the browser's image cannot be used.</summary>
    public ScreenshotResult Checked() => Jpeg switch
    {
        null => this with { MissingReason = MissingReason ?? "no screenshot was taken" },
        { Length: > Incident.MaxScreenshotBytes } => Missing("the browser's image was larger than 4 MB"),
        _ when !IncidentValidator.IsJpeg(Jpeg) => Missing("the browser's image was not a JPEG"),
        _ => this with { MissingReason = null },
    };
}

/// <summary>Asks the browser for a screenshot: over the native port (host) or the device's connection (server).</summary>
public interface IScreenshotSource
{
    Task<ScreenshotResult> CaptureAsync(int tabId, CancellationToken cancellationToken);
}
