namespace eSafe.Contracts.Http;

/// <summary>What an analyst decides about an incident (docs/ESCALATION.md, "Decisions").</summary>
public static class DecisionOutcomes
{
    public const string NoAction = "no-action";
    public const string Intervention = "intervention";

    public static bool IsKnown(string? outcome) => outcome is NoAction or Intervention;
}

/// <summary>Why an incident needs no action.</summary>
public static class NoActionReasons
{
    public const string FalsePositive = "false-positive";
    public const string NoRisk = "no-risk";
    public const string AlreadyKnown = "already-known";

    public static IReadOnlyList<string> All { get; } = [FalsePositive, NoRisk, AlreadyKnown];

    public static bool IsKnown(string? reason) => reason is FalsePositive or NoRisk or AlreadyKnown;
}

/// <summary>
/// An analyst's decision. No action needs <see cref="NoActionReason"/>; intervention needs <see cref="Severity"/>,
/// <see cref="Narrative"/> and <see cref="EscalationReason"/>. <see cref="Urgent"/> raises a phone alert whatever the severity.
/// A false positive may carry <see cref="ProposedException"/>: words that, near the match, mean it is no threat.
/// </summary>
public sealed record DecisionRequest
{
    public string Outcome { get; init; } = "";
    public string? NoActionReason { get; init; }
    public int? Severity { get; init; }
    public string? Narrative { get; init; }
    public string? EscalationReason { get; init; }
    public bool Urgent { get; init; }

    /// <summary>Keep the page's full address in the report (otherwise only its site).</summary>
    public bool KeepFullUrl { get; init; }
    public string? ProposedException { get; init; }

    /// <summary>The workflow version the analyst saw; a decision on a stale view is refused (409).</summary>
    public int? ExpectedVersion { get; init; }
}

public sealed record ReopenRequest(string Reason, int? ExpectedVersion = null);

/// <summary>What the school did: recorded by the school's contact, it closes the incident.</summary>
public sealed record SchoolResponseRequest(string ActionTaken, DateOnly ActionDate, string ActionBy);

/// <summary>One decision as recorded, with who signed it and their vetting as it was then.</summary>
public sealed record Decision(
    string Outcome,
    string? NoActionReason,
    int? Severity,
    string? Narrative,
    string? EscalationReason,
    bool Urgent,
    bool KeepFullUrl,
    string? ProposedException,
    string DecidedBy,
    string DecidedByName,
    string? DecidedByQualifications,
    DateTimeOffset DecidedAt);

public sealed record Reopening(string Reason, string By, DateTimeOffset At);

public sealed record SchoolResponse(string ActionTaken, DateOnly ActionDate, string ActionBy, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record Acknowledgement(string By, string Channel, DateTimeOffset At);

/// <summary>A message the escalation sends (a report email, a call, a text) and how far it got.</summary>
public sealed record DeliveryView(
    string Id,
    string Kind,
    string? ContactName,
    string? ContactRole,
    string State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? CompletedAt,
    string? LastError);

/// <summary>Where an incident is after the queue: its decisions (newest last), the school's response, the alert's acknowledgement.</summary>
public sealed record WorkflowView(
    int Version,
    string Status,
    IReadOnlyList<Decision> Decisions,
    IReadOnlyList<Reopening> Reopens,
    SchoolResponse? Response,
    bool AlertOpen,
    Acknowledgement? Acknowledgement,
    IReadOnlyList<DeliveryView> Deliveries,
    IReadOnlyList<string> Warnings);

/// <summary>The numbers the console keeps in view: undecided incidents (and how many at severity 4–5), open alerts.</summary>
public sealed record QueueCounts(int Undecided, int UndecidedSerious, int OpenAlerts, string? NewestId);

/// <summary>An urgent alert nobody at the school has acknowledged yet: a banner in every analyst's console.</summary>
public sealed record AlertView(
    string IncidentId,
    string SchoolId,
    string SchoolName,
    int Severity,
    string Category,
    DateTimeOffset RaisedAt,
    int Calls,
    string? LastCalled,
    bool NoPhoneProvider,
    Acknowledgement? Acknowledgement);

/// <summary>The roles a school's contact can hold, in escalation order.</summary>
public static class ContactRoles
{
    public const string Dsl = "dsl";
    public const string DeputyDsl = "deputy-dsl";
    public const string Slt = "slt";
    public const string Head = "head";
    public const string It = "it";

    public static IReadOnlyList<string> All { get; } = [Dsl, DeputyDsl, Slt, Head, It];

    public static bool IsKnown(string? role) => role is Dsl or DeputyDsl or Slt or Head or It;
}

/// <summary>A nominated contact at a school. <see cref="Order"/> orders contacts within a role (1 first).</summary>
public sealed record Contact(string Id, string Name, string Role, string? Phone, string? Email, int Order);

public sealed record ContactRequest(string Name, string Role, string? Phone, string? Email, int Order);

/// <summary>
/// What happens at one severity once an analyst decides on intervention: which roles are told, by phone (called in
/// order until one acknowledges), by an emailed report, or in the weekly summary, and within how many minutes.
/// </summary>
public sealed record ProtocolRule(int Severity, IReadOnlyList<string> Roles, bool Phone, bool Email, bool Weekly, int WithinMinutes);

/// <summary>A school's protocol: a rule for each severity 1–5, and how long a call waits for acknowledgement before the next contact.</summary>
public sealed record Protocol(IReadOnlyList<ProtocolRule> Rules, int CallNextAfterMinutes);

/// <summary>A school's contacts and protocol, and whether its report password is set (the password itself is never shown again).</summary>
public sealed record SafeguardingView(
    string SchoolId,
    int Version,
    IReadOnlyList<Contact> Contacts,
    Protocol Protocol,
    bool ReportPasswordSet,
    DateTimeOffset? ChangedAt);

/// <summary>A report password, shown once when it is made.</summary>
public sealed record ReportPasswordIssued(string Password);

/// <summary>A false positive's proposed exception for a library entry, waiting for a senior analyst.</summary>
public sealed record Proposal(
    string Id,
    string IncidentId,
    string SchoolId,
    string RuleId,
    string Phrase,
    string Exception,
    string ProposedBy,
    DateTimeOffset ProposedAt,
    string State,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Target,
    int? Near = null);

/// <summary>Accept into the school's own layer (<c>school</c>) or the global library (<c>global</c>), or reject.</summary>
/// <param name="Near">
/// Into the school's layer only: take the words as context, <c>unless Near: words</c> (a hit is cancelled when they are within
/// <c>Near</c> words of it), rather than as an exception (cancelled only when the hit lies inside them).
/// </param>
public sealed record ProposalDecision(string Action, string? Target, int? Near = null);

/// <summary>One day's incidents at a school by category and by severity.</summary>
public sealed record DashboardDay(DateOnly Day, IReadOnlyDictionary<string, int> ByCategory, IReadOnlyDictionary<string, int> BySeverity);

/// <summary>How often a library entry's incidents were decided false positives.</summary>
public sealed record RuleFalsePositives(string RuleId, int Decided, int FalsePositives);

/// <summary>The dashboard: incidents over time, time to decision and to acknowledgement (minutes), false positives by entry.</summary>
public sealed record DashboardView(
    DateOnly From,
    DateOnly To,
    string? SchoolId,
    IReadOnlyList<DashboardDay> Days,
    int Incidents,
    int Decided,
    double? MedianMinutesToDecision,
    double? P90MinutesToDecision,
    double? MedianMinutesToAcknowledgement,
    IReadOnlyList<RuleFalsePositives> FalsePositives);

/// <summary>An incident of the same pupil at the same school: the timeline on the incident page.</summary>
public sealed record TimelineItem(string Id, DateTimeOffset OccurredAt, string Category, int Severity, string Status, string Source, string MatchedText);

public static class ProposalStates
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
}
