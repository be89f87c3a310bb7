using eSafe.Contracts.Http;
using eSafe.Server.Reports;
using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>What a school is told about an intervention: built from the decision (the analyst's words) and the incident's pseudonymous fields only.</summary>
public static class InterventionReports
{
    public static InterventionReport Of(StoredIncident stored, Decision decision, string schoolName)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(decision);
        var i = stored.Incident;
        return new InterventionReport(schoolName, i.Id, i.UserId, i.MachineName, i.DeviceId, i.OccurredAt, i.LocalOffsetMinutes, i.Category,
            decision.Severity ?? i.Severity, decision.Urgent, decision.Narrative ?? "", decision.EscalationReason ?? "",
            ReportSite.Of(i.Url, decision.KeepFullUrl), decision.DecidedByName, decision.DecidedByQualifications, decision.DecidedAt);
    }

    public static WeeklySummaryItem Item(StoredIncident stored, Decision decision)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(decision);
        var i = stored.Incident;
        return new WeeklySummaryItem(i.Id, i.UserId, i.MachineName, i.OccurredAt, i.LocalOffsetMinutes, i.Category, decision.Severity ?? i.Severity,
            decision.Narrative ?? "");
    }
}
