namespace eSafe.Incidents.Pipeline;

/// <summary>
/// A screenshot of the tab the text was seen in, or why there is none, or (<see cref="Follows"/>) word that it
/// comes later on its own: a device talking to the server over HTTP is asked for it in the reply to its text.
/// </summary>
public sealed record ScreenshotResult(byte[]? Jpeg, string? MissingReason)
{
    /// <summary>What an incident says while its screenshot is on its way from the device.</summary>
    public const string AwaitingReason = "awaiting the device's screenshot";

    /// <summary>The screenshot comes later; the incident is kept until it does (or the wait ends).</summary>
    public static ScreenshotResult Later { get; } = new(null, AwaitingReason) { Follows = true };

    /// <summary>True when the screenshot is sent later, apart from the text (direct mode).</summary>
    public bool Follows { get; private init; }

    public static ScreenshotResult Missing(string reason) => new(null, reason);

    /// <summary>This result, or a missing one saying why the browser's image cannot be used.</summary>
    public ScreenshotResult Checked() => Jpeg switch
    {
        null when Follows => this,
        null => this with { MissingReason = MissingReason ?? "no screenshot was taken" },
        { Length: > Incident.MaxScreenshotBytes } => Missing("the browser's image was larger than 4 MB"),
        _ when !IncidentValidator.IsJpeg(Jpeg) => Missing("the browser's image was not a JPEG"),
        _ => this with { MissingReason = null },
    };
}

/// <summary>Which screenshot: the tab, and the incident it is for (the answer may come apart from the question).</summary>
public sealed record ScreenshotRequest(string IncidentId, int TabId);

/// <summary>
/// Asks the browser for a screenshot. The host asks over the native port and waits for the reply; the server,
/// answering a Chromebook's HTTP request, cannot wait for a second request, so it notes the question for its
/// reply and answers <see cref="ScreenshotResult.Later"/>.
/// </summary>
public interface IScreenshotSource
{
    Task<ScreenshotResult> CaptureAsync(ScreenshotRequest request, CancellationToken cancellationToken);
}
