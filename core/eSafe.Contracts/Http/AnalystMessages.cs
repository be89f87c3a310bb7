namespace eSafe.Contracts.Http;

public sealed record LoginRequest(string Username, string Password);

public sealed record AnalystInfo(string Username, string DisplayName, string Role);

public sealed record SchoolInfo(string Id, string Name);

/// <summary>Where an incident is in the analysts' workflow.</summary>
public static class IncidentStatuses
{
    public const string New = "new";
    public const string InReview = "in-review";
    public const string NoAction = "no-action";
    public const string Escalated = "escalated";

    /// <summary>The school has recorded what it did.</summary>
    public const string Closed = "closed";

    /// <summary>Waiting for an analyst's decision.</summary>
    public static bool IsUndecided(string? status) => status is New or InReview;

    public static bool IsKnown(string? status) => status is New or InReview or NoAction or Escalated or Closed;
}

/// <summary>One row of the analysts' queue.</summary>
public sealed record IncidentSummary(
    string Id,
    string SchoolId,
    string DeviceId,
    string UserId,
    string MachineName,
    DateTimeOffset OccurredAt,
    int LocalOffsetMinutes,
    DateTimeOffset ReceivedAt,
    string Source,
    string Category,
    int Severity,
    string Status,
    string MatchedText,
    string Url,
    bool HasScreenshot,
    string? PageTitle,
    string Snippet,
    TextSpan SnippetMatch,
    bool AlertOpen);

/// <summary>Where the matched words lie in a text (UTF-16 units); <see cref="Start"/> is -1 when they are not in it.</summary>
public sealed record TextSpan(int Start, int Length)
{
    public static TextSpan None { get; } = new(-1, 0);
}

/// <summary>A page of the queue, newest first; pass <see cref="Next"/> as <c>before</c> for the next page.</summary>
public sealed record IncidentPage(IReadOnlyList<IncidentSummary> Items, string? Next);

/// <summary>Everything about one incident but the screenshot's bytes (fetched on their own).</summary>
/// <param name="OccurredAt">The device's claimed time; <see cref="ReceivedAt"/> is the server's own.</param>
/// <param name="DeviceClockSuspect">True when the device's time cannot be right (far ahead of the server's, or before 2020).</param>
/// <param name="ClockSkewSeconds">Then: the device's time minus the server's receipt time, in seconds.</param>
public sealed record IncidentDetail(
    string Id,
    string SchoolId,
    string DeviceId,
    string UserId,
    string MachineName,
    IReadOnlyList<string> DeviceAddresses,
    string? ServerSeenAddress,
    DateTimeOffset OccurredAt,
    int LocalOffsetMinutes,
    DateTimeOffset ReceivedAt,
    string Url,
    string? PageTitle,
    string Source,
    string RuleId,
    string Phrase,
    string MatchedText,
    string Category,
    int Severity,
    string Context,
    bool HasScreenshot,
    string? ScreenshotMissingReason,
    string Status,
    string HostVersion,
    string LibraryVersion,
    string? ExtensionVersion,
    TextSpan ContextMatch,
    WorkflowView Workflow,
    IReadOnlyList<TimelineItem> Timeline,
    bool DeviceClockSuspect = false,
    long? ClockSkewSeconds = null);

/// <summary>Filters of the queue; every one optional.</summary>
public sealed record IncidentQuery
{
    public string? SchoolId { get; init; }

    /// <summary>A status, or <c>undecided</c> for new and in-review together.</summary>
    public string? Status { get; init; }
    public string? Category { get; init; }
    public int? Severity { get; init; }
    public int? MinSeverity { get; init; }

    /// <summary>Occurred on or after this day (UTC).</summary>
    public DateOnly? From { get; init; }

    /// <summary>Occurred on or before this day (UTC).</summary>
    public DateOnly? To { get; init; }

    /// <summary><c>newest</c> (by ID, the default) or <c>priority</c>: severity first, then oldest first.</summary>
    public string? Order { get; init; }

    /// <summary>Only incidents older than this ID (paging).</summary>
    public string? Before { get; init; }
    public int? Limit { get; init; }
}

/// <summary>The threat library the server works with: what it holds, by category and language.</summary>
public sealed record LibrarySummary(
    string Name,
    string Version,
    int Entries,
    IReadOnlyDictionary<string, int> ByCategory,
    IReadOnlyDictionary<string, int> ByLanguage);
