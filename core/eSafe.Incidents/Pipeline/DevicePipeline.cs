using System.Text.Json;
using eSafe.Detection;

namespace eSafe.Incidents.Pipeline;

/// <summary>
/// Text events in, sealed incidents out: detect, ask for a screenshot, build the incident, seal it and
/// put it in the outbox. The host runs it for native devices, the server for Chromebooks ("direct" mode,
/// where the screenshot follows later: <see cref="ScreenshotResult.Later"/>; the outbox then holds the
/// incident until it comes).
/// <c>currentServerKey</c>, when given, is asked for the key at each seal: the server's key can be rotated while it runs;
/// <c>envelopeVersion</c> likewise for the envelope's version (1 when not given; the host seals 2 once the server has said it takes it).
/// </summary>
public sealed class DevicePipeline(
    IThreatMatcher matcher,
    IScreenshotSource screenshots,
    IIncidentOutbox outbox,
    DeviceProfile device,
    Func<IReadOnlyList<string>> deviceAddresses,
    TimeProvider clock,
    IRepeatStore? repeatStore = null,
    Func<ServerSealingKey>? currentServerKey = null,
    Func<int>? envelopeVersion = null)
{
    public const int ContextRadius = 200;
    public static readonly TimeSpan ScreenshotTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RepeatWindow = TimeSpan.FromMinutes(10);
    private readonly RepeatFilter _repeats = new(clock, RepeatWindow, store: repeatStore);

    /// <summary>
    /// Scans one event; returns the incidents it made, each already durable in the outbox, and the event's hits
    /// durable in the repeat store, so that once the caller acks, a resend of the event (even to another
    /// process) makes nothing new.
    /// </summary>
    public async Task<IReadOnlyList<Incident>> ProcessAsync(TextEvent textEvent, BrowserSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(textEvent);
        ArgumentNullException.ThrowIfNull(session);
        // One matcher for the scan and the incident's libraryVersion: the host may swap its libraries meanwhile.
        var current = matcher.Current;
        var libraryVersion = current.LibraryVersion;
        var (hit, newKeys) = MostSevereNewHit(current, textEvent);
        if (hit is null)
        {
            return [];
        }

        Incident incident;
        try
        {
            var id = IncidentId.New(clock.GetUtcNow());
            var screenshot = (await CaptureAsync(new ScreenshotRequest(id, textEvent.TabId), cancellationToken)).Checked();
            incident = Build(id, textEvent, session, hit, screenshot, libraryVersion);
            await outbox.AddAsync(Seal(incident), cancellationToken);
        }
        catch
        {
            // Not stored, so not acked: the resent event must make the incident after all.
            _repeats.Forget(newKeys);
            throw;
        }

        // Only after the outbox: a key durable before its incident would hide the incident from the resend.
        _repeats.Persist();
        return [incident];
    }

    private SealedIncident Seal(Incident incident)
    {
        var serverKey = currentServerKey?.Invoke() ?? device.ServerKey;
        return envelopeVersion?.Invoke() == IncidentSealer.BinaryVersion
            ? IncidentSealer.Seal(IncidentPlaintext.Write(incident), incident.Id, serverKey, IncidentSealer.BinaryVersion)
            : IncidentSealer.Seal(JsonSerializer.SerializeToUtf8Bytes(incident, IncidentJson.Default.Incident), incident.Id, serverKey);
    }

    // One incident an event, for its most severe hit: the analyst reads the context for the rest.
    private (ThreatMatch? Hit, List<string> NewKeys) MostSevereNewHit(IThreatMatcher current, TextEvent textEvent)
    {
        ThreatMatch? best = null;
        List<string> newKeys = [];
        var matches = current.Scan(textEvent.Text);
        if (matches.Count > 0)
        {
            _repeats.Refresh();
        }

        foreach (var match in matches)
        {
            // One incident a phrase a message: the extension gives each new message in a typed field a new
            // field ID, and a search and its results page share query:<engine>:<query>. Older extensions sent
            // searches as search:<engine> and page text with no ID: the words around the hit tell those apart.
            var where = textEvent.FieldId is { } field && !field.StartsWith("search:", StringComparison.Ordinal)
                ? field
                : $"{textEvent.Url}|{match.Context(textEvent.Text, 40)}";
            var key = $"{textEvent.TabId}|{where}|{match.Entry.Id}";
            if (!_repeats.IsNew(key))
            {
                continue;
            }

            newKeys.Add(key);
            if (best is null || match.Entry.Severity > best.Entry.Severity)
            {
                best = match;
            }
        }

        return (best, newKeys);
    }

    private async Task<ScreenshotResult> CaptureAsync(ScreenshotRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ScreenshotTimeout);
        try
        {
            return await screenshots.CaptureAsync(request, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ScreenshotResult.Missing($"the browser did not answer within {ScreenshotTimeout.TotalSeconds:0} s");
        }
    }

    private Incident Build(string id, TextEvent e, BrowserSession session, ThreatMatch hit, ScreenshotResult screenshot, string libraryVersion) => new()
    {
        Id = id,
        SchoolId = device.SchoolId,
        DeviceId = device.DeviceId,
        UserId = session.UserId,
        MachineName = device.MachineName,
        DeviceAddresses = deviceAddresses(),
        OccurredAt = e.OccurredAt.ToUniversalTime(),
        LocalOffsetMinutes = e.LocalOffsetMinutes,
        Url = e.Url,
        PageTitle = e.Title,
        Source = e.Source,
        RuleId = hit.Entry.Id,
        Phrase = hit.Entry.Phrase,
        MatchedText = hit.MatchedText(e.Text),
        Category = hit.Entry.Category,
        Severity = hit.Entry.Severity,
        Context = hit.Context(e.Text, ContextRadius),
        Screenshot = screenshot.Jpeg,
        ScreenshotMissingReason = screenshot.MissingReason,
        HostVersion = device.HostVersion,
        LibraryVersion = libraryVersion,
        ExtensionVersion = session.ExtensionVersion,
    };
}
