using eSafe.Contracts.Http;
using eSafe.Server.Notifications.Email;
using eSafe.Server.Reports;
using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>Emails one contact the incident's anonymised report, a PDF encrypted with the school's report password.</summary>
public sealed class ReportEmailHandler(IIncidentWorkflowStore workflows, IIncidentStore incidents, ISafeguardingStore safeguarding, ISchoolStore schools,
    IAuditLog audit, IServiceProvider services) : IJobHandler
{
    public string Kind => JobKinds.ReportEmail;

    public async Task<JobResult> RunAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.IncidentId is not { } id || await incidents.GetAsync(id, cancellationToken) is not { } stored
            || await workflows.GetAsync(id, cancellationToken) is not { } workflow)
        {
            return JobResult.Failed("The incident is no longer there.");
        }

        if (workflow.Decisions.Count != job.DecisionNumber || workflow.Current is not { Outcome: DecisionOutcomes.Intervention } decision)
        {
            return JobResult.Cancelled("The decision was withdrawn (reopened) before the report went.");
        }

        var school = await safeguarding.GetAsync(job.SchoolId, cancellationToken);
        if (school.Contacts.FirstOrDefault(c => c.Id == job.ContactId) is not { Email: { } email } contact)
        {
            return JobResult.Failed("The contact was removed, or has no email address any more.");
        }

        if (services.GetService<IEmailSender>() is not { } sender)
        {
            return JobResult.Failed("No mail server is configured on this server (the Smtp settings): tell the school another way.");
        }

        if (school.ReportPassword is not { } password)
        {
            return JobResult.Retry("The school has no report password yet: a senior analyst must make one (School set-up).");
        }

        var schoolName = (await schools.GetAsync(job.SchoolId, cancellationToken))?.Name ?? job.SchoolId;
        var report = InterventionReports.Of(stored, decision, schoolName);
        try
        {
            await sender.SendAsync(ReportEmails.Report(report, ReportPdf.Render(report, password), new EmailRecipient(contact.Name, email)),
                cancellationToken);
        }
        catch (EmailDeliveryException e) when (!e.IsPermanent)
        {
            return JobResult.Retry(e.Message);
        }
        catch (EmailDeliveryException e)
        {
            return JobResult.Failed(e.Message);
        }

        await audit.AppendAsync(new AuditEvent("escalation", AuditActions.ReportSent, id, job.SchoolId, Detail: $"contact {contact.Id}"), cancellationToken);
        return JobResult.Done($"Report emailed to {contact.Name} <{email}>.");
    }
}
