using eSafe.Incidents;

namespace eSafe.Contracts.Http;

/// <summary>
/// A Chromebook's text, for the server to run through the device pipeline (direct mode, docs/PROTOCOL.md §2b).
/// Sent sealed to the server's key in the incidents' envelope, whose <c>incidentId</c> is then the batch's ID.
/// </summary>
/// <param name="UserId">The pupil's pseudonymous ID, computed by the extension with the school's key (the server never has it).</param>
/// <param name="DeviceAddresses">The device's own IP addresses where the browser can tell them (ChromeOS enterprise API).</param>
public sealed record DirectBatch(string UserId, string? ExtensionVersion, IReadOnlyList<TextEvent> Events,
    IReadOnlyList<string>? DeviceAddresses = null);

/// <summary>
/// What became of a batch: events acknowledged (their incidents, if any, are durable on the server), events
/// refused as bad input (sending them again would not help), and the screenshots wanted for the hits.
/// </summary>
public sealed record DirectBatchReply(
    IReadOnlyList<string> Acked,
    IReadOnlyList<RefusedEvent> Refused,
    IReadOnlyList<ScreenshotWanted> Screenshots,
    string GlobalLibraryVersion,
    int SchoolLibraryVersion);

public sealed record RefusedEvent(string EventId, string Problem);

/// <summary>Capture this tab and send the image for this incident.</summary>
public sealed record ScreenshotWanted(string IncidentId, int TabId);

/// <summary>The screenshot for an incident, sealed (the envelope's <c>incidentId</c> is the incident's), or why there is none.</summary>
public sealed record DirectScreenshot(byte[]? Jpeg, string? Error);
