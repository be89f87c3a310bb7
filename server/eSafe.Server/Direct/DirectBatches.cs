using System.Net;
using eSafe.Contracts;
using eSafe.Contracts.Http;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;
using eSafe.Server.Ingest;
using eSafe.Server.Security;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Direct;

/// <summary>
/// A Chromebook's batch of text through the same <see cref="DevicePipeline"/> a host runs: the school's matcher,
/// the device's repeat filter (kept in <see cref="IDeviceRepeatStore"/>), the incident built and sealed. An
/// incident waits in <see cref="IPendingIncidentStore"/> for its screenshot, which the reply asks for; an event
/// is acknowledged only once its incident is durable there.
/// </summary>
public sealed class DirectBatches(SealedContent sealedContent, SchoolMatchers matchers, SealingKeyRing keys, IPendingIncidentStore pending,
    IDeviceRepeatStore repeats, AtRestCipher cipher, TimeProvider clock)
{
    public async Task<Outcome<DirectBatchReply>> ProcessAsync(DeviceRecord device, SealedIncident envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(envelope);
        var (batch, problem) = sealedContent.Open(envelope, ContractsJson.Default.DirectBatch, "batch");
        problem ??= batch is null ? "The sealed content is not a batch." : Problem(batch);
        if (problem is not null)
        {
            return Outcome.Invalid<DirectBatchReply>(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["batch"] = [problem] },
                "The batch is not valid; nothing in it was scanned.");
        }

        var school = await matchers.ForSchoolAsync(device.SchoolId, cancellationToken);
        var screenshots = new ReplyScreenshotSource();
        var profile = new DeviceProfile(device.SchoolId, device.Id, device.MachineName, device.HostVersion, keys.Current);
        IReadOnlyList<string> addresses = [.. batch!.DeviceAddresses ?? []];
        var pipeline = new DevicePipeline(school.Matcher, screenshots, new PendingOutbox(pending, device.Id, device.SchoolId, clock), profile,
            () => addresses, clock, new DeviceRepeats(repeats, cipher, device.Id, clock));
        var session = new BrowserSession(batch.UserId, batch.ExtensionVersion);

        List<string> acked = [];
        List<RefusedEvent> refused = [];
        List<ScreenshotWanted> wanted = [];
        foreach (var textEvent in batch.Events)
        {
            if (textEvent?.Problem(clock.GetUtcNow()) is { } eventProblem)
            {
                refused.Add(new RefusedEvent(textEvent.EventId is { Length: > 0 and <= 64 } id ? id : "", eventProblem));
                continue;
            }

            if (textEvent is null)
            {
                continue;
            }

            // A storage fault throws out of here (503): the events not yet acked are sent again, and the repeat
            // store keeps those already done from making a second incident.
            var incidents = await pipeline.ProcessAsync(textEvent, session, cancellationToken);
            wanted.AddRange(incidents.Select(i => new ScreenshotWanted(i.Id, textEvent.TabId)));
            acked.Add(textEvent.EventId);
        }

        return new DirectBatchReply(acked, refused, wanted, school.GlobalVersion, school.SchoolVersion);
    }

    private static string? Problem(DirectBatch batch) =>
        !PseudonymousId.IsValid(batch.UserId) ? $"userId is not a {PseudonymousId.Length}-character pseudonymous ID (lower-case hex)"
        : batch.Events is null || batch.Events.Count == 0 ? "events is empty"
        : batch.Events.Count > DirectLimits.MaxBatchEvents ? $"events holds more than {DirectLimits.MaxBatchEvents} events"
        : batch.ExtensionVersion is { } version && (version.Length > 64 || !UntrustedText.IsSafe(version))
            ? "extensionVersion must be at most 64 characters, without control or text-direction characters"
        : batch.DeviceAddresses is { } a && (a.Count > DirectLimits.MaxDeviceAddresses || a.Any(x => !IPAddress.TryParse(x, out _)))
            ? $"deviceAddresses must be at most {DirectLimits.MaxDeviceAddresses} IP addresses"
        : null;
}
