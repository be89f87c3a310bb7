namespace eSafe.Server.Reports;

/// <summary>A school's lower-severity concerns of one week, gathered into one report (no immediate action needed).</summary>
public sealed record WeeklySummary(string SchoolName, DateOnly From, DateOnly To, IReadOnlyList<WeeklySummaryItem> Items);

/// <summary>One concern in a weekly summary; the same rules as <see cref="InterventionReport"/>: the narrative is the analyst's.</summary>
public sealed record WeeklySummaryItem(
    string Reference,
    string UserId,
    string MachineName,
    DateTimeOffset OccurredAt,
    int LocalOffsetMinutes,
    string Category,
    int Severity,
    string Narrative);
