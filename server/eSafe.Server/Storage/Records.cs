using eSafe.Incidents;

namespace eSafe.Server.Storage;

/// <summary>A school; devices join with its enrolment code (only the hash is kept). The key behind its pupils' user IDs is the school's, never the server's.</summary>
public sealed record SchoolRecord(string Id, string Name, string EnrolmentCodeHash, DateTimeOffset CreatedAt)
{
    /// <summary>How many months after the month they were received in the school's incidents are kept; null for the default.</summary>
    public int? RetentionMonths { get; init; }

    public int EffectiveRetentionMonths => RetentionMonths ?? RetentionPeriod.DefaultMonths;
}

/// <summary>An enrolled device; it authenticates with a token of which only the SHA-256 is kept.</summary>
public sealed record DeviceRecord(
    string Id,
    string SchoolId,
    byte[] TokenHash,
    string MachineName,
    string HostVersion,
    DateTimeOffset EnrolledAt,
    string? EnrolledFrom,
    DeviceRevocation? Revoked = null);

/// <summary>When, by whom and why a device was revoked: its token no longer works.</summary>
public sealed record DeviceRevocation(DateTimeOffset At, string By, string? Reason);

/// <summary>
/// Someone who signs in to the console: an analyst or senior analyst (every school) or a school's contact (one school).
/// <see cref="Qualifications"/> records an analyst's vetting and training (e.g. "Enhanced DBS 2026; NPPV 2"), shown on what they sign.
/// </summary>
public sealed record AnalystAccount(
    string Username,
    string DisplayName,
    string Role,
    string? SchoolId,
    string PasswordHash,
    string SecurityStamp,
    DateTimeOffset CreatedAt)
{
    public string? Qualifications { get; init; }
}

/// <summary>
/// An incident as the server keeps it: what the device sent (without the screenshot's bytes, which are
/// kept on their own), when it arrived, the address it came from, and where it is in the workflow.
/// </summary>
public sealed record StoredIncident(
    Incident Incident,
    DateTimeOffset ReceivedAt,
    string? ServerSeenAddress,
    string Status,
    bool HasScreenshot)
{
    public string Id => Incident.Id;

    /// <summary>An urgent alert about it is waiting for the school's acknowledgement.</summary>
    public bool AlertOpen { get; init; }
    /// <summary>How far the device's claimed time is from the server's receipt, when it cannot be right (see <see cref="Devices.DeviceClock"/>); else null.</summary>
    public long? ClockSkewSeconds => Devices.DeviceClock.SuspectSkewSeconds(Incident.OccurredAt, ReceivedAt);
}

public enum AddOutcome
{
    Added,
    Duplicate,
}

/// <summary>Which incidents to list, newest first; every filter optional. <see cref="SchoolIds"/> null means every school.</summary>
public sealed record IncidentFilter
{
    public IReadOnlyCollection<string>? SchoolIds { get; init; }

    /// <summary>Any of these statuses; null for every status.</summary>
    public IReadOnlyCollection<string>? Statuses { get; init; }
    public string? Category { get; init; }
    public int? Severity { get; init; }
    public int? MinSeverity { get; init; }

    /// <summary>One pupil (their user ID at a school): the incident page's timeline.</summary>
    public (string SchoolId, string UserId)? User { get; init; }

    /// <summary>Occurred at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Occurred before.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Severity first, then oldest first (what needs a human now), instead of newest first.</summary>
    public bool Priority { get; init; }

    /// <summary>Paging: newest first, only incidents whose ID sorts before this one; by priority, only those after this place.</summary>
    public QueuePlace? After { get; init; }
    public int Limit { get; init; } = 50;
}

/// <summary>A place in the queue to page on from: the last incident shown, and its severity when the queue is by priority.</summary>
public sealed record QueuePlace(string Id, int Severity);

/// <summary>Something to write to the audit log.</summary>
public sealed record AuditEvent(
    string Actor,
    string Action,
    string? IncidentId = null,
    string? SchoolId = null,
    string? RemoteAddress = null,
    string? Detail = null);

/// <summary>A line of the audit log, chained to the one before by <see cref="Hash"/> so that a changed or removed line shows.</summary>
public sealed record AuditEntry(
    long Sequence,
    DateTimeOffset At,
    string Actor,
    string Action,
    string? IncidentId,
    string? SchoolId,
    string? RemoteAddress,
    string? Detail,
    string PreviousHash,
    string Hash);

/// <summary>The actions the audit log records.</summary>
public static class AuditActions
{
    public const string LoginSucceeded = "login-succeeded";
    public const string LoginFailed = "login-failed";
    public const string LoginThrottled = "login-throttled";
    public const string Logout = "logout";
    public const string QueueRead = "queue-read";
    public const string IncidentRead = "incident-read";
    public const string ScreenshotRead = "screenshot-read";
    public const string IncidentRefused = "incident-read-refused";
    public const string DeviceEnrolled = "device-enrolled";
    public const string EnrolmentRefused = "device-enrolment-refused";
    public const string SchoolAdded = "school-added";
    public const string RetentionChanged = "retention-changed";
    /// <summary>Expired incidents deleted and their period's key destroyed: the IDs, never their contents.</summary>
    public const string RetentionDeleted = "retention-deleted";
    public const string EnrolmentCodeIssued = "enrolment-code-issued";
    public const string AccountAdded = "account-added";
    public const string PasswordReset = "password-reset";
    public const string SchoolEntrySaved = "school-library-entry-saved";
    public const string SchoolEntryRemoved = "school-library-entry-removed";
    public const string GlobalEntrySwitchedOff = "school-library-global-entry-off";
    public const string GlobalEntrySwitchedOn = "school-library-global-entry-on";
    public const string SchoolLayerRefused = "school-library-refused";
    public const string LibrarySearched = "library-searched";
    public const string QualificationsRecorded = "account-qualifications-recorded";
    public const string IncidentDecided = "incident-decided";
    public const string IncidentReopened = "incident-reopened";
    public const string SchoolResponded = "school-response-recorded";
    public const string AlertRaised = "alert-raised";
    public const string AlertAcknowledged = "alert-acknowledged";
    public const string ReportRead = "report-read";
    public const string ReportSent = "report-sent";
    public const string CallPlaced = "alert-call-placed";
    public const string DeliveryFailed = "delivery-failed";
    public const string WeeklySummarySent = "weekly-summary-sent";
    public const string ContactSaved = "contact-saved";
    public const string ContactRemoved = "contact-removed";
    public const string ProtocolSaved = "protocol-saved";
    public const string ReportPasswordIssued = "report-password-issued";
    public const string SafeguardingRead = "safeguarding-read";
    public const string ProposalMade = "library-proposal-made";
    public const string ProposalDecided = "library-proposal-decided";
    public const string DashboardRead = "dashboard-read";
    public const string WorkflowRefused = "workflow-refused";
    public const string IncidentReceived = "incident-received";
    public const string IncidentDeleted = "incident-deleted";
    public const string AuditRead = "audit-read";
    public const string AuditKeyed = "audit-log-keyed";
    public const string DevicesListed = "devices-listed";
    public const string DeviceRevoked = "device-revoked";
    public const string DeviceAccessRefused = "device-access-refused";
    public const string MissedSentenceFiled = "missed-sentence-filed";
    public const string QualityExported = "quality-exported";
}

/// <summary>A school's own layer: its entries (IDs within the school), the global entry IDs switched off, and its version.</summary>
public sealed record SchoolLayerRecord(
    string SchoolId,
    int Version,
    DateTimeOffset? ChangedAt,
    IReadOnlyList<Detection.ThreatEntry> Entries,
    IReadOnlyList<string> DisabledGlobalIds);
