using System.Text;
using eSafe.Incidents;
using eSafe.Incidents.Pipeline;
using eSafe.Server.Security;
using eSafe.Server.Storage;

namespace eSafe.Server.Direct;

/// <summary>
/// The screenshot side of a Chromebook's request: the device cannot be asked mid-request, so each question is noted
/// for the reply and the pipeline is told the screenshot follows.
/// </summary>
internal sealed class ReplyScreenshotSource : IScreenshotSource
{
    private readonly List<ScreenshotRequest> _wanted = [];

    public IReadOnlyList<ScreenshotRequest> Wanted => _wanted;

    public Task<ScreenshotResult> CaptureAsync(ScreenshotRequest request, CancellationToken cancellationToken)
    {
        _wanted.Add(request);
        return Task.FromResult(ScreenshotResult.Later);
    }
}

/// <summary>The pipeline's outbox on the server: the sealed incident waits in the pending store for its screenshot.</summary>
internal sealed class PendingOutbox(IPendingIncidentStore pending, string deviceId, string schoolId, TimeProvider clock) : IIncidentOutbox
{
    public Task AddAsync(SealedIncident incident, CancellationToken cancellationToken) =>
        pending.AddAsync(new PendingIncident(incident.IncidentId, deviceId, schoolId, clock.GetUtcNow(), incident), cancellationToken);
}

/// <summary>
/// One device's repeat-filter state as the pipeline's <see cref="IRepeatStore"/>. Read fresh each time, so that a
/// batch answered by another server process a moment ago counts. The hash key is derived per device from the
/// server's index key (outside the database), so a stolen database cannot test guesses against the hashes.
/// </summary>
internal sealed class DeviceRepeats(IDeviceRepeatStore store, AtRestCipher cipher, string deviceId, TimeProvider clock) : IRepeatStore
{
    public ReadOnlyMemory<byte> HashKey { get; } = Encoding.ASCII.GetBytes(cipher.IndexTag("repeat-filter", deviceId));

    public IReadOnlyDictionary<UInt128, DateTimeOffset>? LoadIfChanged() => store.Load(deviceId);

    // Merged, not replaced: a retry answered by another server process at the same moment keeps its hits too. A hit past the
    // window can no longer stop a repeat, so the merge drops it and the row stays small.
    public void Save(IReadOnlyDictionary<UInt128, DateTimeOffset> seen) =>
        store.Merge(deviceId, seen, clock.GetUtcNow() - DevicePipeline.RepeatWindow);
}
