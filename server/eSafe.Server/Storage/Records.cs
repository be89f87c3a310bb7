using eSafe.Incidents;

namespace eSafe.Server.Storage;

/// <summary>A school; devices join with its enrolment code (only the hash is kept). The key behind its pupils' user IDs is the school's, never the server's.</summary>
public sealed record SchoolRecord(string Id, string Name, string EnrolmentCodeHash, DateTimeOffset CreatedAt);

/// <summary>An enrolled device; it authenticates with a token of which only the SHA-256 is kept.</summary>
public sealed record DeviceRecord(
    string Id,
    string SchoolId,
    byte[] TokenHash,
    string MachineName,
    string HostVersion,
    DateTimeOffset EnrolledAt,
    string? EnrolledFrom);

/// <summary>Someone who signs in to the console: an analyst (every school) or, later, a school's contact (one school).</summary>
public sealed record AnalystAccount(
    string Username,
    string DisplayName,
    string Role,
    string? SchoolId,
    string PasswordHash,
    string SecurityStamp,
    DateTimeOffset CreatedAt);

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
    public string? Status { get; init; }
    public string? Category { get; init; }
    public int? Severity { get; init; }
    public int? MinSeverity { get; init; }

    /// <summary>Only incidents whose ID sorts before this one (older).</summary>
    public string? Before { get; init; }
    public int Limit { get; init; } = 50;
}

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
    public const string EnrolmentCodeIssued = "enrolment-code-issued";
    public const string AccountAdded = "account-added";
    public const string PasswordReset = "password-reset";
    public const string SchoolEntrySaved = "school-library-entry-saved";
    public const string SchoolEntryRemoved = "school-library-entry-removed";
    public const string GlobalEntrySwitchedOff = "school-library-global-entry-off";
    public const string GlobalEntrySwitchedOn = "school-library-global-entry-on";
    public const string SchoolLayerRefused = "school-library-refused";
    public const string LibrarySearched = "library-searched";
}

/// <summary>A school's own layer: its entries (IDs within the school), the global entry IDs switched off, and its version.</summary>
public sealed record SchoolLayerRecord(
    string SchoolId,
    int Version,
    DateTimeOffset? ChangedAt,
    IReadOnlyList<Detection.ThreatEntry> Entries,
    IReadOnlyList<string> DisabledGlobalIds);
