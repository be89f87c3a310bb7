namespace eSafe.Server.Reports;

/// <summary>
/// Everything a school is told about one intervention, and nothing else that identifies the pupil: no name, no
/// email, no text the pupil typed, no page address beyond what the analyst chose to keep. The narrative and the
/// reason are the analyst's words.
/// </summary>
/// <param name="Reference">The incident's ID, which the school quotes back.</param>
/// <param name="UserId">The pseudonymous user ID (<see cref="eSafe.Incidents.PseudonymousId"/>); the school maps it to a pupil.</param>
/// <param name="LocalOffsetMinutes">The device's offset from UTC when it happened: the school's local time.</param>
/// <param name="Site">Scheme and host only (<see cref="ReportSite.Of"/>), or the full address when the analyst kept it; null when none.</param>
/// <param name="AnalystQualifications">What the signing analyst holds, e.g. "Enhanced DBS (2026); NPPV 2".</param>
public sealed record InterventionReport(
    string SchoolName,
    string Reference,
    string UserId,
    string MachineName,
    string DeviceId,
    DateTimeOffset OccurredAt,
    int LocalOffsetMinutes,
    string Category,
    int Severity,
    bool Urgent,
    string Narrative,
    string Reason,
    string? Site,
    string AnalystName,
    string? AnalystQualifications,
    DateTimeOffset DecidedAt);
