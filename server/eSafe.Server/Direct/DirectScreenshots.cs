using eSafe.Contracts;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;
using eSafe.Server.Ingest;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Direct;

/// <summary>
/// Completes a Chromebook's incident: its screenshot (or the device's reason for none) is put into the pending
/// incident, which then goes through <see cref="IncidentIngest"/> like any host's; an incident whose screenshot
/// never comes is stored without it (<see cref="CompleteWithoutAsync"/>).
/// </summary>
public sealed class DirectScreenshots(IPendingIncidentStore pending, IIncidentStore incidents, SealedContent sealedContent, IncidentIngest ingest)
{
    public const int MaxReasonLength = 200;

    public async Task<IngestOutcome?> CompleteAsync(DeviceRecord device, string incidentId, SealedIncident envelope, string? remoteAddress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.IncidentId != incidentId)
        {
            return IngestOutcome.Unreadable(incidentId, "The envelope's incidentId is not the incident in the address.");
        }

        var waiting = await pending.GetAsync(incidentId, cancellationToken);
        if (waiting is null || waiting.DeviceId != device.Id)
        {
            // Sent again after it was stored (its answer lost): the same receipt. Otherwise unknown to this device.
            return await incidents.FindDeviceAsync(incidentId, cancellationToken) == device.Id
                ? new IngestOutcome(IngestResult.Duplicate, incidentId)
                : null;
        }

        var (shot, problem) = sealedContent.Open(envelope, ContractsJson.Default.DirectScreenshot, "screenshot");
        if (shot is null)
        {
            return IngestOutcome.Unreadable(incidentId, problem!);
        }

        var result = shot.Jpeg is { Length: > 0 } jpeg ? new ScreenshotResult(jpeg, null) : ScreenshotResult.Missing(Reason(shot.Error));
        return await FinishAsync(device, waiting, result.Checked(), remoteAddress, cancellationToken);
    }

    /// <summary>Stores a pending incident whose screenshot did not come in time.</summary>
    public Task<IngestOutcome> CompleteWithoutAsync(DeviceRecord device, PendingIncident waiting, CancellationToken cancellationToken) =>
        FinishAsync(device, waiting,
            ScreenshotResult.Missing($"the device did not send the screenshot within {DirectLimits.ScreenshotWait.TotalSeconds:0} s"), null,
            cancellationToken);

    private async Task<IngestOutcome> FinishAsync(DeviceRecord device, PendingIncident waiting, ScreenshotResult screenshot, string? remoteAddress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        var (incident, problem) = sealedContent.Open(waiting.Sealed, IncidentJson.Default.Incident, "incident");
        if (incident is null)
        {
            // Sealed by this server to a key it no longer has: nothing can ever open it.
            await pending.RemoveAsync(waiting.IncidentId, cancellationToken);
            return IngestOutcome.Unreadable(waiting.IncidentId, problem!);
        }

        var outcome = await ingest.IngestAsync(device, incident with { Screenshot = screenshot.Jpeg, ScreenshotMissingReason = screenshot.MissingReason },
            remoteAddress, cancellationToken);
        if (outcome.Kept)
        {
            await pending.RemoveAsync(waiting.IncidentId, cancellationToken);
        }

        return outcome;
    }

    // The device's words become part of the incident: short, one line, nothing that could mislead a reader.
    private static string Reason(string? error) =>
        string.IsNullOrWhiteSpace(error) ? "the browser sent no image"
        : UntrustedText.Neutralise(error.Length > MaxReasonLength ? error[..MaxReasonLength] : error, linesAllowed: false);
}
