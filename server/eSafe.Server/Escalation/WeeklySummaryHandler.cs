using eSafe.Contracts.Http;
using eSafe.Server.Notifications.Email;
using eSafe.Server.Reports;
using eSafe.Server.Storage;

namespace eSafe.Server.Escalation;

/// <summary>
/// A school's weekly summary of the interventions its protocol sends weekly (lower concerns, no immediate action). A job
/// without a contact plans the week: one job a contact with an email in the weekly rules' roles, and next week's plan.
/// A job with a contact builds the week's summary (the same for each) and emails it.
/// </summary>
public sealed class WeeklySummaryHandler(IIncidentStore incidents, IIncidentWorkflowStore workflows, ISafeguardingStore safeguarding,
    ISchoolStore schools, IAuditLog audit, EscalationOptions options, IServiceProvider services) : IJobHandler
{
    private const int MaxItems = 500;

    public string Kind => JobKinds.WeeklySummary;

    /// <summary>The moment the week ending at or after <paramref name="now"/> is summarised (the configured day and hour, UTC).</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, EscalationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddHours(options.WeeklySummaryHour);
        var ahead = ((int)options.WeeklySummaryDay - (int)day.DayOfWeek + 7) % 7;
        var run = day.AddDays(ahead);
        return run <= now ? run.AddDays(7) : run;
    }

    public static EscalationJob Plan(string schoolId, DateTimeOffset run) =>
        EscalationPlanner.New(JobKinds.WeeklySummary, schoolId, null, 0, null, 0, $"weekly:{schoolId}:{run:yyyy-MM-dd}", run);

    public async Task<JobResult> RunAsync(EscalationJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var weekEnd = job.CreatedAt;
        var school = await safeguarding.GetAsync(job.SchoolId, cancellationToken);
        if (job.ContactId is null)
        {
            var weeklyRoles = school.Protocol.Rules.Where(r => r.Weekly).SelectMany(r => r.Roles).ToHashSet(StringComparer.Ordinal);
            var perContact = school.Contacts.Where(c => weeklyRoles.Contains(c.Role) && c.Email is not null)
                .Select(c => EscalationPlanner.New(JobKinds.WeeklySummary, job.SchoolId, null, 0, c.Id, 1, $"weekly:{job.SchoolId}:{weekEnd:yyyy-MM-dd}:{c.Id}",
                    weekEnd));
            var next = NextRun(weekEnd.AddMinutes(1), options);
            return JobResult.Done($"Planned for {weeklyRoles.Count} roles.", [.. perContact, Plan(job.SchoolId, next)]);
        }

        if (school.Contacts.FirstOrDefault(c => c.Id == job.ContactId) is not { Email: { } email } contact)
        {
            return JobResult.Failed("The contact was removed, or has no email address any more.");
        }

        var items = await ItemsAsync(job.SchoolId, school, weekEnd.AddDays(-7), weekEnd, cancellationToken);
        if (items.Count == 0)
        {
            return JobResult.Done("No concerns for the weekly summary this week: nothing sent.");
        }

        if (services.GetService<IEmailSender>() is not { } sender)
        {
            return JobResult.Failed("No mail server is configured on this server (the Smtp settings).");
        }

        if (school.ReportPassword is not { } password)
        {
            return JobResult.Retry("The school has no report password yet: a senior analyst must make one (School set-up).");
        }

        var name = (await schools.GetAsync(job.SchoolId, cancellationToken))?.Name ?? job.SchoolId;
        var summary = new WeeklySummary(name, DateOnly.FromDateTime(weekEnd.AddDays(-7).UtcDateTime), DateOnly.FromDateTime(weekEnd.UtcDateTime), items);
        try
        {
            await sender.SendAsync(ReportEmails.Weekly(summary, WeeklySummaryPdf.Render(summary, password), new EmailRecipient(contact.Name, email)),
                cancellationToken);
        }
        catch (EmailDeliveryException e)
        {
            return e.IsPermanent ? JobResult.Failed(e.Message) : JobResult.Retry(e.Message);
        }

        await audit.AppendAsync(new AuditEvent("escalation", AuditActions.WeeklySummarySent, SchoolId: job.SchoolId,
            Detail: $"contact {contact.Id}, {items.Count} concerns"), cancellationToken);
        return JobResult.Done($"Weekly summary of {items.Count} concerns emailed to {contact.Name} <{email}>.");
    }

    // Interventions decided in the week whose severity the protocol sends weekly (and that raised no alert).
    private async Task<List<WeeklySummaryItem>> ItemsAsync(string schoolId, SafeguardingRecord school, DateTimeOffset from, DateTimeOffset until,
        CancellationToken cancellationToken)
    {
        var candidates = await incidents.ListAsync(new IncidentFilter
        {
            SchoolIds = [schoolId],
            Statuses = [IncidentStatuses.Escalated, IncidentStatuses.Closed],
            From = from.AddDays(-60),
            Limit = MaxItems,
        }, cancellationToken);
        var items = new List<WeeklySummaryItem>();
        foreach (var stored in candidates.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            if (await workflows.GetAsync(stored.Id, cancellationToken) is { Current: { Outcome: DecisionOutcomes.Intervention, Severity: { } severity } decision }
                && decision.DecidedAt >= from && decision.DecidedAt < until
                && school.Protocol.RuleFor(severity).Weekly && !EscalationPlanner.IsAlert(decision, school))
            {
                items.Add(InterventionReports.Item(stored, decision));
            }
        }

        return items;
    }
}
