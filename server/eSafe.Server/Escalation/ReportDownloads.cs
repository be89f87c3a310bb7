using eSafe.Contracts.Http;
using eSafe.Server.Analysts;
using eSafe.Server.Notifications.Email;
using eSafe.Server.Reports;
using eSafe.Server.Storage;
using eSafe.Server.Web;

namespace eSafe.Server.Escalation;

/// <summary>The anonymised report of an escalated incident, for staff and the school's contacts: the same PDF the email carries, audited.</summary>
public sealed class ReportDownloads(IncidentAccess access, IIncidentWorkflowStore workflows, ISafeguardingStore safeguarding, ISchoolStore schools,
    IAuditLog audit)
{
    public sealed record Download(byte[] Pdf, string FileName);

    public async Task<Outcome<Download>> GetAsync(ConsoleUser user, string id, string? remote, CancellationToken cancellationToken)
    {
        if (await access.ReadableAsync(user, id, remote, cancellationToken) is not { } stored)
        {
            return Outcome.NotFound<Download>("There is no incident with this ID.");
        }

        if (await workflows.GetAsync(id, cancellationToken) is not { Current: { Outcome: DecisionOutcomes.Intervention } decision })
        {
            return Outcome.Conflict<Download>("Only an incident escalated to the school has a report.");
        }

        var schoolId = stored.Incident.SchoolId;
        if ((await safeguarding.GetAsync(schoolId, cancellationToken)).ReportPassword is not { } password)
        {
            return Outcome.Conflict<Download>("The school has no report password yet: a senior analyst makes one in School set-up.");
        }

        var name = (await schools.GetAsync(schoolId, cancellationToken))?.Name ?? schoolId;
        var pdf = ReportPdf.Render(InterventionReports.Of(stored, decision, name), password);
        await audit.AppendAsync(new AuditEvent(user.Username, AuditActions.ReportRead, id, schoolId, remote), cancellationToken);
        return Outcome.Of(new Download(pdf, ReportEmails.ReportFileName(id)));
    }
}
