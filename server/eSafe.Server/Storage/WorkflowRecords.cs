using eSafe.Contracts.Http;

namespace eSafe.Server.Storage;

/// <summary>
/// Where an incident is after the queue, kept encrypted beside it. <see cref="Version"/> grows with every save, so two
/// analysts (or two server processes) cannot overwrite each other's decision unseen.
/// </summary>
public sealed record IncidentWorkflow(
    int Version,
    string Status,
    IReadOnlyList<Decision> Decisions,
    IReadOnlyList<Reopening> Reopens,
    SchoolResponse? Response,
    UrgentAlert? Alert)
{
    public static IncidentWorkflow Initial(string status) => new(0, status, [], [], null, null);

    /// <summary>The decision in force: the newest, unless the incident was reopened after it.</summary>
    public Decision? Current => IncidentStatuses.IsUndecided(Status) || Decisions.Count == 0 ? null : Decisions[^1];

    public bool AlertOpen => Alert is { Acknowledgement: null };
}

/// <summary>
/// An urgent alert: raised by an intervention at severity 5 or marked urgent, open until someone at the school
/// acknowledges it. <see cref="Token"/> is the secret in the call's and the text's acknowledgement links.
/// </summary>
public sealed record UrgentAlert(string Token, DateTimeOffset RaisedAt, Acknowledgement? Acknowledgement);

/// <summary>The clear fields of an incident that the dashboard counts; nothing in them is opened.</summary>
public sealed record IncidentFacts(
    string Id,
    string SchoolId,
    string Category,
    int Severity,
    string RuleId,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    string Status,
    string? Outcome,
    string? NoActionReason,
    DateTimeOffset? FirstDecidedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? AlertRaisedAt);

/// <summary>A school's nominated contacts, its escalation protocol and its report password, kept encrypted as one record.</summary>
public sealed record SafeguardingRecord(
    string SchoolId,
    int Version,
    IReadOnlyList<Contact> Contacts,
    Protocol Protocol,
    string? ReportPassword,
    DateTimeOffset? ChangedAt);

/// <summary>What a job does.</summary>
public static class JobKinds
{
    /// <summary>Email the anonymised report of one incident to one contact.</summary>
    public const string ReportEmail = "report-email";

    /// <summary>Call (and text) the next contact of an open urgent alert.</summary>
    public const string AlertCall = "alert-call";

    /// <summary>Email a school's weekly summary of lower-severity concerns.</summary>
    public const string WeeklySummary = "weekly-summary";
}

public static class JobStates
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";

    /// <summary>Not needed any more (the alert was acknowledged, the decision withdrawn).</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>
/// Timed work that must happen once however many server processes run: claimed with a lease, retried with back-off,
/// kept afterwards as the record of what was sent. <see cref="DecisionNumber"/> is the count of the incident's decisions when
/// it was planned (a job of a decision since reopened is cancelled); <see cref="Step"/> is a kind's own counter (a call's place).
/// </summary>
public sealed record EscalationJob(
    string Id,
    string Kind,
    string SchoolId,
    string? IncidentId,
    int DecisionNumber,
    string? ContactId,
    int Step,
    string? UniqueKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    string State,
    int Attempts,
    string? LastError,
    string? Outcome,
    DateTimeOffset? CompletedAt);
